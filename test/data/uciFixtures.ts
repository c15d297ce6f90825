import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readUciRecords, type UciReadOptions } from '../../src/data/uciReader.ts';
import type { UciRecord } from '../../src/data/uciRecord.ts';

export const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

/** Builds one UCI CSV row; fields with commas or quotes are quoted. */
export function csvRow(invoice: string, sku: string, quantity: number | string, price: number | string, customer = '12345.0', options: { date?: string; country?: string; description?: string } = {}): string {
  const description = options.description ?? `ITEM ${sku}`;
  const quoted = /[",]/.test(description) ? `"${description.replaceAll('"', '""')}"` : description;
  return [invoice, sku, quoted, quantity, options.date ?? '2010-12-01 10:00:00', price, customer, options.country ?? 'United Kingdom'].join(',');
}

/** Temporary folder for fixture files, removed by `cleanup`. */
export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-uci-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a CSV (with header) to `dir/name`, gzip-compressed when `gzip` is set. */
export async function writeCsv(dir: string, name: string, rows: readonly string[], gzip = false): Promise<string> {
  const path = join(dir, name);
  const text = `${HEADER}\n${rows.join('\n')}\n`;
  await writeFile(path, gzip ? gzipSync(text) : text);
  return path;
}

/** Reads every record of a UCI source into an array. */
export async function readAll(options: UciReadOptions = {}): Promise<UciRecord[]> {
  const records: UciRecord[] = [];
  for await (const record of readUciRecords(options)) records.push(record);
  return records;
}

/** Returns the id a record is about: the order id, the cancellation invoice or the rejected record id. */
export function idOf(record: UciRecord): string {
  if (record.kind === 'order') return record.order.orderId;
  if (record.kind === 'cancel') return record.invoiceNo;
  return record.recordId;
}

/** Returns the first record about `id` (see `idOf`). */
export function findRecord(records: readonly UciRecord[], id: string): UciRecord | undefined {
  return records.find((record) => idOf(record) === id);
}

/** Returns the reason of a rejected record, or a text that no rejection reason contains. */
export function reasonOf(record: UciRecord | undefined): string {
  return record?.kind === 'rejected' ? record.reason : `not rejected: ${JSON.stringify(record)}`;
}

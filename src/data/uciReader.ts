/**
 * Streaming reader of the UCI "Online Retail" data: yields orders, cancellations and
 * rejections in the order of the input, which in the UCI files is placement order.
 *
 * Rows are grouped into invoices as they stream in, so only the current invoice, the set of
 * invoice numbers already read and the cancellation matcher's memory are held. The rows of an
 * invoice must be contiguous, as they are in the data set. A row with a malformed field
 * rejects its whole invoice. CSV syntax errors (an unclosed quote) stop the read with an error
 * naming the file.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { CancellationMatcher } from './cancellationMatcher.ts';
import { assembleInvoice, type UciInvoice } from './uciInvoice.ts';
import { toOrderRecord } from './uciOrder.ts';
import type { CancelLine, UciRecord } from './uciRecord.ts';
import { mapUciHeader, parseUciRow, type UciColumnIndex, type UciRow } from './uciRow.ts';

/** The subset bundled with the project: every row from 2010-12-01 to 2010-12-23. */
export const BUNDLED_UCI_PATH = fileURLToPath(new URL('../../data/uci-online-retail-2010-12.csv.gz', import.meta.url));

/** Options of `readUciRecords`. */
export interface UciReadOptions {
  /**
   * A UCI CSV file, plain or gzip-compressed (detected from its content), or a folder whose
   * `.csv` and `.csv.gz` files are read in name order. Default: `BUNDLED_UCI_PATH`.
   */
  path?: string;
  /** First local invoice date to read, `YYYY-MM-DD`, inclusive. Default: no limit. */
  fromDate?: string;
  /** Last local invoice date to read, `YYYY-MM-DD`, inclusive. Default: no limit. */
  toDate?: string;
}

/** Rejection reasons listed per invoice before the rest are counted. */
const MAX_LISTED_PROBLEMS = 3;

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

interface InvoiceGroup {
  invoiceNo: string;
  rows: UciRow[];
  problems: string[];
}

async function listInputFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];

  const names = (await readdir(path)).filter((name) => /\.csv(\.gz)?$/i.test(name)).sort();
  if (names.length === 0) throw new Error(`${path}: folder has no .csv or .csv.gz files; expected the UCI Online Retail CSV files`);
  return names.map((name) => join(path, name));
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function* readCsvRecords(file: string): AsyncGenerator<CsvRecord> {
  const parser = parse({ bom: true, relax_column_count: true, info: true, skip_empty_lines: true });
  const source = createReadStream(file);
  // Errors and early exits destroy every stream; the loop below rethrows a failure.
  const ignoreCompletion = () => undefined;
  if (await isGzip(file)) pipeline(source, createGunzip(), parser, ignoreCompletion);
  else pipeline(source, parser, ignoreCompletion);

  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
  } catch (error) {
    throw new Error(`${file}: failed to read the CSV: ${(error as Error).message}`, { cause: error });
  }
}

function checkDateOption(name: string, value: string | undefined): void {
  if (value === undefined || /^\d{4}-\d{2}-\d{2}$/.test(value)) return;
  throw new Error(`readUciRecords: ${name} "${value}" is invalid; expected a date YYYY-MM-DD such as 2010-12-01`);
}

function toCancelLines(invoice: UciInvoice): { lines: CancelLine[]; positive: string[] } {
  const lines: CancelLine[] = [];
  const positive: string[] = [];
  for (const line of invoice.lines) {
    if (line.quantity < 0) lines.push({ sku: line.sku, quantity: -line.quantity });
    else positive.push(line.sku);
  }
  return { lines, positive };
}

/** Reads invoice groups and turns them into records, matching cancellations as it goes. */
class InvoiceConverter {
  private readonly matcher = new CancellationMatcher();

  constructor(private readonly options: UciReadOptions) {}

  *convert(group: InvoiceGroup): Generator<UciRecord> {
    const { invoiceNo } = group;
    const date = group.rows[0]?.localDate;
    if (date !== undefined && !this.inDateRange(date)) return;

    if (group.problems.length > 0) {
      const listed = group.problems.slice(0, MAX_LISTED_PROBLEMS);
      const more = group.problems.length - listed.length;
      const suffix = more > 0 ? `; and ${more} more malformed rows` : '';
      yield { kind: 'rejected', recordId: invoiceNo, reason: `invoice ${invoiceNo} has malformed rows: ${listed.join('; ')}${suffix}` };
      return;
    }

    const assembled = assembleInvoice(invoiceNo, group.rows);
    if (!assembled.ok) {
      yield { kind: 'rejected', recordId: invoiceNo, reason: assembled.reason };
      return;
    }
    const invoice = assembled.invoice;

    if (invoice.cancellation) {
      yield* this.convertCancellation(invoice);
      return;
    }
    const record = toOrderRecord(invoice);
    if (record.kind === 'order') this.matcher.rememberOrder(invoice.customerId, invoiceNo, invoice.lines);
    yield record;
  }

  private *convertCancellation(invoice: UciInvoice): Generator<UciRecord> {
    const { lines, positive } = toCancelLines(invoice);
    if (positive.length > 0) {
      yield {
        kind: 'rejected',
        recordId: invoice.invoiceNo,
        reason: `cancellation ${invoice.invoiceNo}: Quantity of SKUs ${positive.join(', ')} is 0 or more; expected negative quantities on a cancellation`,
      };
      if (lines.length === 0) return;
    }
    yield* this.matcher.match({
      invoiceNo: invoice.invoiceNo,
      customerId: invoice.customerId,
      placedAt: invoice.placedAt,
      lines,
      feeCodes: invoice.charges.map((charge) => charge.code),
    });
  }

  private inDateRange(date: string): boolean {
    const { fromDate, toDate } = this.options;
    return (fromDate === undefined || date >= fromDate) && (toDate === undefined || date <= toDate);
  }
}

/**
 * Reads UCI invoices and yields, in input order, one order record per invoice, cancel records
 * for cancellation invoices, and rejected records with reasons. With `fromDate`/`toDate`, only
 * invoices of those local dates are read, and cancellations can match only orders read.
 */
export async function* readUciRecords(options: UciReadOptions = {}): AsyncGenerator<UciRecord> {
  checkDateOption('fromDate', options.fromDate);
  checkDateOption('toDate', options.toDate);

  const converter = new InvoiceConverter(options);
  const finished = new Set<string>();
  let group: InvoiceGroup | undefined;

  for (const file of await listInputFiles(options.path ?? BUNDLED_UCI_PATH)) {
    const fileName = basename(file);
    let columns: UciColumnIndex | undefined;

    for await (const { record, info } of readCsvRecords(file)) {
      if (columns === undefined) {
        columns = mapUciHeader(record, file);
        continue;
      }
      const where = `${fileName} line ${info.lines}`;
      const parsed = parseUciRow(record, columns, where);
      const invoiceNo = parsed.ok ? parsed.row.invoiceNo : parsed.invoiceNo;
      if (invoiceNo === '') {
        const reason = parsed.ok ? `${where}: InvoiceNo is empty` : parsed.reason;
        yield { kind: 'rejected', recordId: `${fileName}:${info.lines}`, reason };
        continue;
      }

      if (group?.invoiceNo !== invoiceNo) {
        if (group !== undefined) {
          finished.add(group.invoiceNo);
          yield* converter.convert(group);
        }
        group = { invoiceNo, rows: [], problems: [] };
        if (finished.has(invoiceNo)) {
          group.problems.push(`${where}: rows of invoice ${invoiceNo} appear again after other invoices; expected the rows of an invoice to be contiguous`);
        }
      }
      if (parsed.ok) group.rows.push(parsed.row);
      else group.problems.push(parsed.reason);
    }
  }

  if (group !== undefined) yield* converter.convert(group);
}

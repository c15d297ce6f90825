/**
 * Publishes one input file: reads every record with its format adapter, then sends the orders
 * and cancels as commands and sums up what was published and what was rejected.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { mkdir, open, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OrderInput } from '../domain/order.ts';
import { DEFAULT_ADAPTER_OPTIONS, detectFormat, getAdapter, type Adapter, type AdapterOptions, type FormatName, type ParsedRecord } from './adapters/index.ts';
import { CommandPublisher } from './commandPublisher.ts';

/** Bytes read from the start of a file to detect its format; JSON is recognised by its keys there. */
const DETECT_BYTES = 64 * 1024;

/** Record ids listed per rejection reason in a summary. */
export const DEFAULT_SAMPLE_IDS = 5;

/**
 * Value of `source` that each format's adapter puts on its orders. A cancel carries no source,
 * so its key uses the source of the same order in the file, or this one.
 */
const FORMAT_SOURCE: Readonly<Record<FormatName, string>> = {
  'uci-csv': 'uci',
  jsonl: 'api',
  'shopify-webhook': 'shopify',
  'shopify-csv': 'shopify',
  woocommerce: 'woocommerce',
};

/** Records read from one file, in file order, with the format they were read as. */
export interface FileRecords {
  format: FormatName;
  records: ParsedRecord[];
}

/** A record that was not published: rejected by the adapter, or by the publisher's schema check. */
export interface Rejection {
  /** Position of the record in the file, such as `line 7`, `order 2` or an invoice number. */
  recordId: string;
  reason: string;
}

/** Rejections that share a reason once values are masked, with the first few record ids. */
export interface RejectionGroup {
  reason: string;
  count: number;
  recordIds: string[];
}

/** Counts of one `publishFile` run. */
export interface PublishFileSummary {
  path: string;
  format: FormatName;
  recordsRead: number;
  /**
   * Place commands that JetStream acknowledged. NOTE: a repeat that JetStream dropped as a
   * duplicate is acknowledged too, so a republished file counts its orders again.
   */
  ordersPublished: number;
  /** Cancel commands that JetStream acknowledged, repeats included. */
  cancelsPublished: number;
  /** Every rejected record with its full reason, in file order. */
  rejections: Rejection[];
  /** Rejections grouped by masked reason, largest group first. */
  rejectionGroups: RejectionGroup[];
}

/** Options for `publishFile`. */
export interface PublishFileOptions {
  nc: NatsConnection;
  /** Input file, or a folder of UCI CSV files with `format` `uci-csv`. */
  path: string;
  /** Format name as given to `--format`; detected from the content when omitted. */
  format?: string;
  /** Adapter dependencies; default `DEFAULT_ADAPTER_OPTIONS` (cities geocoded with `geocodeCity`). */
  adapterOptions?: AdapterOptions;
  /** Called once the whole file is read, with the number of records to publish. */
  onRead?: (records: number) => void;
  /** Called after each record is handed to the publisher, with the number handled so far. */
  onProgress?: (handled: number) => void;
  /** Record ids listed per rejection group. Default `DEFAULT_SAMPLE_IDS` (5). */
  sampleIds?: number;
}

/**
 * Returns the adapter for `format`, or for the format detected from the file's first 64 KiB.
 * Throws `UnknownFormatError`, listing the accepted formats, for an unknown name or shape.
 */
export async function resolveAdapter(path: string, format?: string, options: AdapterOptions = DEFAULT_ADAPTER_OPTIONS): Promise<Adapter> {
  if (format !== undefined) return getAdapter(format, options);

  const info = await stat(path);
  if (info.isDirectory()) throw new Error(`${path} is a folder; only uci-csv reads folders, so pass --format uci-csv`);
  return getAdapter(detectFormat(path, await readStart(path)), options);
}

/**
 * Reads every record of a file before anything is published. Throws when the file as a whole
 * cannot be read (missing, empty, truncated JSON, missing CSV columns), so no record escapes.
 */
export async function readFileRecords(path: string, format?: string, options: AdapterOptions = DEFAULT_ADAPTER_OPTIONS): Promise<FileRecords> {
  const adapter = await resolveAdapter(path, format, options);
  const records: ParsedRecord[] = [];
  for await (const record of adapter.read(path)) records.push(record);
  return { format: adapter.format, records };
}

/**
 * Reads a whole file, then publishes its records with `publishRecords`. Throws without
 * publishing anything when the file cannot be read, and throws when a publish fails.
 */
export async function publishFile(options: PublishFileOptions): Promise<PublishFileSummary> {
  const file = await readFileRecords(options.path, options.format, options.adapterOptions);
  options.onRead?.(file.records.length);
  return publishRecords({ ...options, file });
}

/** Options for `publishRecords`. */
export interface PublishRecordsOptions {
  nc: NatsConnection;
  /** Input path, reported in the summary. */
  path: string;
  file: FileRecords;
  /** Called after each record is handed to the publisher, with the number handled so far. */
  onProgress?: (handled: number) => void;
  /** Record ids listed per rejection group. Default `DEFAULT_SAMPLE_IDS` (5). */
  sampleIds?: number;
}

/**
 * Publishes records in file order: orders with key `place:<source>:<orderId>`, cancels with key
 * `cancel:<source>:<orderId>` (a whole order) or `cancel:<source>:<orderId>:<recordId>` (some
 * lines). Republishing the same file therefore has its effect once, and equal order ids from two
 * sources get different keys. Resolves after JetStream acknowledged every publish.
 */
export async function publishRecords(options: PublishRecordsOptions): Promise<PublishFileSummary> {
  const { format, records } = options.file;
  const sources = new Map<string, string>();
  for (const record of records) if (record.kind === 'order') sources.set(String(record.order.orderId), sourceOf(record.order));

  const publisher = new CommandPublisher(options.nc);
  const rejections: Rejection[] = [];
  let ordersPublished = 0;
  let cancelsPublished = 0;

  for (const [index, record] of records.entries()) {
    switch (record.kind) {
      case 'rejected':
        rejections.push({ recordId: record.recordId, reason: record.reason });
        break;
      case 'order': {
        const orderId = String(record.order.orderId);
        const result = await publisher.placeOrder(record.order, `place:${sourceOf(record.order)}:${orderId}`);
        if (result.ok) ordersPublished++;
        else rejections.push({ recordId: record.recordId, reason: result.reason });
        break;
      }
      case 'cancel': {
        const source = sources.get(record.orderId) ?? FORMAT_SOURCE[format];
        const key = record.lines === undefined ? `cancel:${source}:${record.orderId}` : `cancel:${source}:${record.orderId}:${record.recordId}`;
        const result = await publisher.cancelOrder(record.orderId, record.reason, record.lines, key);
        if (result.ok) cancelsPublished++;
        else rejections.push({ recordId: record.recordId, reason: result.reason });
        break;
      }
    }
    options.onProgress?.(index + 1);
  }
  await publisher.drain();

  return {
    path: options.path,
    format,
    recordsRead: records.length,
    ordersPublished,
    cancelsPublished,
    rejections,
    rejectionGroups: groupRejections(rejections, options.sampleIds ?? DEFAULT_SAMPLE_IDS),
  };
}

/**
 * Groups rejections by `reasonGroup`, largest group first (ties in file order), keeping the
 * first `sampleIds` record ids of each group.
 */
export function groupRejections(rejections: readonly Rejection[], sampleIds = DEFAULT_SAMPLE_IDS): RejectionGroup[] {
  const groups = new Map<string, RejectionGroup>();
  for (const rejection of rejections) {
    const reason = reasonGroup(rejection.reason, rejection.recordId);
    let group = groups.get(reason);
    if (group === undefined) groups.set(reason, (group = { reason, count: 0, recordIds: [] }));
    group.count++;
    if (group.recordIds.length < sampleIds) group.recordIds.push(rejection.recordId);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** Maximum characters of a grouped reason. */
const MAX_GROUP_CHARS = 160;

/**
 * Masks the record-specific parts of a rejection reason, so that records with the same problem
 * share one group. Only the first issue is kept and a leading label that names the record is
 * dropped. The record id, quoted values, list indexes and, before the word `expected`, every
 * token with a digit (ids, SKUs, quantities) become `…`.
 */
export function reasonGroup(reason: string, recordId: string): string {
  let text = reason.split('\n')[0] ?? reason;

  const labelEnd = text.indexOf(': ');
  if (labelEnd > 0 && text.slice(0, labelEnd).includes(recordId)) text = text.slice(labelEnd + 2);
  if (recordId.length >= 3) text = text.replaceAll(recordId, '…');

  text = text.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/\[\d+\]/g, '[n]');
  const expectedAt = text.search(/\bexpected\b/);
  const problem = expectedAt === -1 ? text : text.slice(0, expectedAt);
  const expectation = expectedAt === -1 ? '' : text.slice(expectedAt);
  text = problem.replace(/[\w.+-]*\d[\w.+-]*/g, '…').replace(/…(?:,\s*…)+/g, '…') + expectation;

  text = text.replace(/\((got )?(?!missing\))[^()]*\)$/, '($1…)').trim();
  return text.length > MAX_GROUP_CHARS ? `${text.slice(0, MAX_GROUP_CHARS)}…` : text;
}

/**
 * Writes rejections as JSON lines (`{"recordId": ..., "reason": ...}`) to `path`, creating its
 * folder, and replaces any earlier file there.
 */
export async function writeRejections(path: string, rejections: readonly Rejection[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, rejections.map((rejection) => `${JSON.stringify(rejection)}\n`).join(''), 'utf8');
}

/** Returns the order's `source`, or `api`, the default that `OrderSchema` fills in. */
function sourceOf(order: OrderInput): string {
  return order.source ?? 'api';
}

async function readStart(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(DETECT_BYTES);
    const { bytesRead } = await file.read(buffer, 0, DETECT_BYTES, 0);
    // A multi-byte character cut at the end becomes U+FFFD, which detection ignores.
    return new TextDecoder('utf-8').decode(buffer.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}

import { readUciRecords } from '../../data/uciReader.ts';
import type { UciRecord } from '../../data/uciRecord.ts';
import type { Adapter, ParsedRecord } from './types.ts';

/**
 * Creates the adapter for the UCI Online Retail CSV, read by `readUciRecords` from
 * `src/data/uciReader.ts`. It streams from disk (a plain or gzip file, or a folder of them), so it
 * has no `parse(text)`. The `recordId` is the invoice number: the order's own for orders, the
 * cancellation invoice's (such as `C536379`) for cancels.
 */
export function createUciCsvAdapter(): Adapter {
  return {
    format: 'uci-csv',
    describe: 'UCI Online Retail CSV (InvoiceNo, StockCode, ...): a .csv or .csv.gz file, or a folder of them',
    read: (path: string) => readUciAsRecords(path),
  };
}

async function* readUciAsRecords(path: string): AsyncGenerator<ParsedRecord> {
  for await (const record of readUciRecords({ path })) yield toParsedRecord(record);
}

function toParsedRecord(record: UciRecord): ParsedRecord {
  switch (record.kind) {
    case 'order':
      return { kind: 'order', recordId: record.order.orderId, order: record.order };
    case 'cancel':
      return { kind: 'cancel', recordId: record.invoiceNo, orderId: record.orderId, lines: record.lines, reason: record.reason };
    case 'rejected':
      return record;
  }
}

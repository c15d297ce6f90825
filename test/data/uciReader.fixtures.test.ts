import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderSchema } from '../../src/domain/order.ts';
import { readUciRecords } from '../../src/data/uciReader.ts';
import type { UciRecord } from '../../src/data/uciRecord.ts';
import { csvRow, findRecord, idOf, makeTempDir, readAll, reasonOf, writeCsv } from './uciFixtures.ts';

let dir = '';
let cleanup: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
});
afterAll(async () => {
  await cleanup();
});

async function readRows(name: string, rows: readonly string[], gzip = false): Promise<UciRecord[]> {
  return readAll({ path: await writeCsv(dir, name, rows, gzip) });
}

describe('UCI reader on fixtures', () => {
  it('reads an invoice of over 1,000 lines whole', async () => {
    const rows = Array.from({ length: 1200 }, (_, index) => csvRow('600001', `SKU${index}`, 1, '1.00'));
    const records = await readRows('large.csv', rows);
    expect(records).toHaveLength(1);
    const record = records[0];
    if (record?.kind !== 'order') throw new Error(`expected an order, got ${JSON.stringify(record)}`);
    expect(record.order.lines).toHaveLength(1200);
    expect(record.order.lines[999]?.lineId).toBe('L1000');
    expect(record.order.lines[1199]?.sku).toBe('SKU1199');
    expect(() => OrderSchema.parse(record.order)).not.toThrow();
  });

  it('averages different prices of one SKU', async () => {
    const records = await readRows('prices.csv', [csvRow('600002', '2000A', 2, '1.00'), csvRow('600002', '2000A', 1, '2.50'), csvRow('600002', '2000B', 1, '0.00')]);
    const record = records[0];
    if (record?.kind !== 'order') throw new Error('expected an order');
    expect(record.order.lines[0]).toMatchObject({ sku: '2000A', quantity: 3, unitPriceMinor: 150, attributes: { uciUnitPricesMinor: '100,250' } });
    expect(record.order.lines[1]).toMatchObject({ sku: '2000B', unitPriceMinor: 0 });
  });

  it('keeps the first price for mixed signs', async () => {
    const records = await readRows('mixed.csv', [csvRow('600003', '2000A', 5, '1.00'), csvRow('600003', '2000A', -2, '3.00')]);
    expect(records[0]).toMatchObject({ kind: 'order', order: { lines: [{ sku: '2000A', quantity: 3, unitPriceMinor: 100 }] } });
  });

  it('matches fee codes without case', async () => {
    const records = await readRows('fees.csv', [csvRow('600018', '20001', 1, '1.00'), csvRow('600018', 'm', 1, '2.55'), csvRow('600018', 'M', 2, '1.00')]);
    expect(records[0]).toMatchObject({ kind: 'order', order: { lines: [{ sku: '20001' }], charges: [{ code: 'M', amountMinor: 455 }] } });
  });

  it('keeps quoted commas in descriptions', async () => {
    const records = await readRows('quotes.csv', [csvRow('600004', '2000A', 1, '1.00', '1.0', { description: 'NURSERY A,B,C "PAINTED" LETTERS' })]);
    expect(records[0]).toMatchObject({ order: { lines: [{ description: 'NURSERY A,B,C "PAINTED" LETTERS' }] } });
  });

  it('reads gzip files and folders', async () => {
    const { dir: folder, cleanup: removeFolder } = await makeTempDir();
    try {
      await writeCsv(folder, 'b.csv.gz', [csvRow('600006', '2000A', 1, '1.00', '2.0', { date: '2010-12-02 09:00:00' })], true);
      await writeCsv(folder, 'a.csv', [csvRow('600005', '2000A', 1, '1.00', '1.0')]);
      const records = await readAll({ path: folder });
      expect(records.map((record) => (record.kind === 'order' ? record.order.orderId : record.kind))).toEqual(['600005', '600006']);
    } finally {
      await removeFolder();
    }
  });

  it('rejects countries that are not countries', async () => {
    const records = await readRows('countries.csv', [
      csvRow('600007', '2000A', 1, '1.00', '1.0', { country: 'European Community' }),
      csvRow('600008', '2000A', 1, '1.00', '1.0', { country: 'Unspecified' }),
      csvRow('600009', '2000A', 1, '1.00', '1.0', { country: 'RSA' }),
    ]);
    expect(reasonOf(findRecord(records, '600007'))).toContain('Country "European Community" is a region');
    expect(reasonOf(findRecord(records, '600008'))).toContain('Country "Unspecified"');
    expect(findRecord(records, '600009')).toMatchObject({ kind: 'order', order: { destination: { country: 'ZA' } } });
  });

  it('rejects a whole invoice with a malformed row', async () => {
    const records = await readRows('malformed.csv', [
      csvRow('600010', '2000A', 1, '1.00'),
      csvRow('600010', '2000B', 'x', '1.00'),
      csvRow('600011', '2000A', 1, 'free'),
      csvRow('600012', '2000A', 1, '1.00', '1.0', { date: '2010-02-30 10:00' }),
      '600013,A,ITEM,1,2010-12-01 10:00:00,1.00,1.0',
    ]);
    expect(records.every((record) => record.kind === 'rejected')).toBe(true);
    expect(reasonOf(findRecord(records, '600010'))).toContain('malformed.csv line 3: Quantity "x" is not a number; expected an integer');
    expect(reasonOf(findRecord(records, '600011'))).toContain('UnitPrice "free" is not a number');
    expect(reasonOf(findRecord(records, '600012'))).toContain('InvoiceDate "2010-02-30 10:00" is not a valid date');
    expect(reasonOf(findRecord(records, '600013'))).toContain('row has 7 fields; expected 8');
  });

  it('rejects a row without an invoice number', async () => {
    const records = await readRows('noinvoice.csv', [csvRow('', '2000A', 1, '1.00')]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'rejected', recordId: 'noinvoice.csv:2' });
    expect(reasonOf(records[0])).toContain('InvoiceNo is empty');
  });

  it('rejects an invoice split by other rows', async () => {
    const records = await readRows('split.csv', [csvRow('600014', '2000A', 1, '1.00'), csvRow('600015', '2000A', 1, '1.00'), csvRow('600014', '2000B', 1, '1.00')]);
    expect(records.map((record) => record.kind)).toEqual(['order', 'order', 'rejected']);
    expect(reasonOf(records[2])).toContain('rows of invoice 600014 appear again after other invoices');
  });

  it('fails on broken CSV quoting', async () => {
    const path = await writeCsv(dir, 'broken.csv', ['600019,20001,"UNCLOSED,1,2010-12-01 10:00:00,1.00,1.0,United Kingdom']);
    await expect(readAll({ path })).rejects.toThrow(/broken\.csv: failed to read the CSV/);
  });

  it('rejects an invalid date option', async () => {
    await expect(readAll({ path: dir, fromDate: '1 Dec 2010' })).rejects.toThrow(/fromDate "1 Dec 2010" is invalid/);
  });

  it('stops reading when the caller stops', async () => {
    const path = await writeCsv(dir, 'stop.csv', [csvRow('600016', '2000A', 1, '1.00'), csvRow('600017', '2000A', 1, '1.00')]);
    const seen: string[] = [];
    for await (const record of readUciRecords({ path })) {
      if (record.kind === 'order') seen.push(record.order.orderId);
      break;
    }
    expect(seen).toEqual(['600016']);
  });
});

describe('UCI cancellations on fixtures', () => {
  const orders = [
    csvRow('700001', '2000A', 10, '1.00', '1.0', { date: '2010-12-01 09:00:00' }),
    csvRow('700001', '2000B', 5, '1.00', '1.0', { date: '2010-12-01 09:00:00' }),
    csvRow('700002', '2000A', 3, '1.00', '1.0', { date: '2010-12-01 10:00:00' }),
    csvRow('700003', '2000C', 4, '1.00', '', { date: '2010-12-01 10:30:00' }),
  ];

  it('prefers the latest order with every SKU', async () => {
    const records = await readRows('c1.csv', [...orders, csvRow('C700010', '2000A', -2, '1.00', '1.0', { date: '2010-12-01 11:00:00' }), csvRow('C700010', '2000B', -1, '1.00', '1.0', { date: '2010-12-01 11:00:00' })]);
    expect(findRecord(records, 'C700010')).toMatchObject({ kind: 'cancel', orderId: '700001', lines: [{ sku: '2000A', quantity: 2 }, { sku: '2000B', quantity: 1 }] });
  });

  it('takes a lone SKU from the latest order', async () => {
    const records = await readRows('c2.csv', [...orders, csvRow('C700011', '2000A', -1, '1.00', '1.0', { date: '2010-12-01 11:00:00' })]);
    expect(findRecord(records, 'C700011')).toMatchObject({ kind: 'cancel', orderId: '700002', lines: [{ sku: '2000A', quantity: 1 }] });
  });

  it('caps quantities at what is left', async () => {
    const records = await readRows('c3.csv', [
      ...orders,
      csvRow('C700012', '2000A', -2, '1.00', '1.0', { date: '2010-12-01 11:00:00' }),
      csvRow('C700013', '2000A', -5, '1.00', '1.0', { date: '2010-12-01 11:30:00' }),
    ]);
    expect(findRecord(records, 'C700012')).toMatchObject({ orderId: '700002', lines: [{ sku: '2000A', quantity: 2 }] });
    const capped = findRecord(records, 'C700013');
    expect(capped).toMatchObject({ kind: 'cancel', orderId: '700002', lines: [{ sku: '2000A', quantity: 1 }] });
    expect(capped?.kind === 'cancel' ? capped.reason : '').toContain('capped at the 1 units still ordered');
  });

  it('splits across orders SKU by SKU', async () => {
    const records = await readRows('c4.csv', [
      ...orders,
      csvRow('700004', '2000D', 2, '1.00', '1.0', { date: '2010-12-01 10:45:00' }),
      csvRow('C700014', '2000B', -1, '1.00', '1.0', { date: '2010-12-01 11:00:00' }),
      csvRow('C700014', '2000D', -1, '1.00', '1.0', { date: '2010-12-01 11:00:00' }),
      csvRow('C700014', '2000Z', -1, '1.00', '1.0', { date: '2010-12-01 11:00:00' }),
    ]);
    const forInvoice = records.filter((record) => idOf(record) === 'C700014');
    expect(forInvoice).toHaveLength(3);
    expect(forInvoice[0]).toMatchObject({ kind: 'cancel', orderId: '700001', lines: [{ sku: '2000B', quantity: 1 }] });
    expect(forInvoice[1]).toMatchObject({ kind: 'cancel', orderId: '700004', lines: [{ sku: '2000D', quantity: 1 }] });
    expect(reasonOf(forInvoice[2])).toContain('SKUs 2000Z are in no earlier order of customer 1');
  });

  it('rejects cancellations it cannot match', async () => {
    const records = await readRows('c5.csv', [
      ...orders,
      csvRow('C700015', '2000C', -1, '1.00', '', { date: '2010-12-01 11:00:00' }),
      csvRow('C700016', '2000A', -1, '1.00', '99.0', { date: '2010-12-01 11:00:00' }),
      csvRow('C700017', 'POST', -1, '18.00', '1.0', { date: '2010-12-01 11:00:00' }),
    ]);
    expect(reasonOf(findRecord(records, 'C700015'))).toContain('has no CustomerID (guest)');
    expect(reasonOf(findRecord(records, 'C700016'))).toContain('no earlier order of customer 99');
    expect(reasonOf(findRecord(records, 'C700017'))).toContain('only fee codes (POST)');
  });

  it('ignores orders outside the date range', async () => {
    const path = await writeCsv(dir, 'c6.csv', [...orders, csvRow('C700018', '2000A', -1, '1.00', '1.0', { date: '2010-12-02 09:00:00' })]);
    const records = await readAll({ path, fromDate: '2010-12-02' });
    expect(records).toHaveLength(1);
    expect(reasonOf(records[0])).toContain('C700018');
  });
});

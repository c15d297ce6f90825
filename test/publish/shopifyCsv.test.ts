import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { geocodeCity } from '../../src/data/geo.ts';
import { InputFormatError } from '../../src/publish/adapters/errors.ts';
import { createShopifyCsvAdapter } from '../../src/publish/adapters/shopifyCsv.ts';
import { onlyRecord, orderOf, readFixture, recordsOfKind, rejectionReason, stubGeocoder } from './fixtures.ts';

const EXPORT = 'shopify_orders_export_3_orders.csv';
const adapter = createShopifyCsvAdapter({ geocode: geocodeCity });

/** The export as rows of cells, header first, for building corrupted copies. */
function exportRows(): string[][] {
  return parse(readFixture(EXPORT));
}

function toCsv(rows: readonly string[][]): string {
  const quote = (cell: string) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return rows.map((row) => row.map(quote).join(',')).join('\n') + '\n';
}

/** Sets one cell of a data row (1 = first row after the header). */
function withCell(rows: string[][], dataRow: number, column: string, value: string): string[][] {
  const index = rows[0]?.indexOf(column) ?? -1;
  if (index < 0) throw new Error(`no column ${column}`);
  const row = rows[dataRow];
  if (row !== undefined) row[index] = value;
  return rows;
}

describe('shopify-csv export', () => {
  const records = adapter.parse(readFixture(EXPORT));
  const orders = recordsOfKind(records, 'order').map((record) => record.order);
  const [boston, seoul, lisbon] = orders;

  it('yields three orders and one cancel', () => {
    expect(records.map((record) => `${record.recordId} ${record.kind}`)).toEqual([
      'line 2 order',
      'line 5 order',
      'line 6 order',
      'line 6 cancel',
    ]);
  });

  it('keeps order ids exact as strings', () => {
    expect(orders.map((order) => order.orderId)).toEqual(['5829340987451', '9007199254740993', '5829341118523']);
  });

  it('groups continuation rows into lines', () => {
    expect(boston?.lines.map((line) => [line.lineId, line.sku, line.quantity, line.unitPriceMinor])).toEqual([
      ['1', 'DRIP-CER-WHT', 2, 2400],
      ['2', 'FLT-100', 1, 650],
      ['3', 'BEAN-ETH-250', 3, 1900],
    ]);
    expect(boston?.lines[2]?.description).toBe('Single-Origin Beans 250g - Ethiopia, Yirgacheffe');
    expect(boston?.lines[0]?.attributes).toEqual({ discountMinor: '500', vendor: 'Kiln & Kettle' });
    expect(boston?.lines[1]?.attributes).toEqual({ vendor: 'Kiln & Kettle' });
  });

  it('maps order fields of the first row', () => {
    expect(boston?.placedAt).toBe('2024-03-01T10:15:22-05:00');
    expect(boston?.currency).toBe('USD');
    expect(boston?.channel).toBe('web');
    expect(boston?.shippingMethod).toBe('Standard Shipping');
    expect(boston?.charges).toEqual([{ code: 'shipping', description: 'Standard Shipping', amountMinor: 795 }]);
    expect(boston?.customer).toEqual({ name: 'Dana Whitfield', email: 'dana.whitfield@example.com', tags: [] });
  });

  it('strips the apostrophe from zip codes', () => {
    expect(boston?.destination.postalCode).toBe('02116');
    expect(seoul?.destination.postalCode).toBe('06236');
    expect(seoul?.destination.phone).toBe('+82 2-555-0199');
  });

  it('geocodes the shipping cities', () => {
    expect(boston?.destination.lat).toBeCloseTo(42.36, 1);
    expect(boston?.destination.lon).toBeCloseTo(-71.06, 1);
    expect(seoul?.destination.lat).toBeCloseTo(37.57, 1);
    expect(lisbon?.destination.lon).toBeCloseTo(-9.13, 1);
  });

  it('keeps Hangul, accents and Nº byte for byte', () => {
    const text = readFixture(EXPORT);
    expect(seoul?.destination).toMatchObject({
      name: '김서연',
      company: 'Café Ñandú Korea',
      line1: '테헤란로 152',
      line2: '강남파이낸스센터 Nº 1204',
      region: 'KR-11',
      country: 'KR',
    });
    expect(seoul?.customer?.name).toBe('Hélène Núñez-Côté');
    expect(seoul?.lines[0]?.description).toBe('한지 노트북 A5 – Édition Nº 3');
    expect(seoul?.shippingMethod).toBe('CJ대한통운 택배');
    expect(text.includes(seoul?.destination.line2 ?? '?')).toBe(true);
    expect(lisbon?.destination.line2).toBe('3º Esq.');
    expect(lisbon?.destination.name).toBe('João Conceição');
  });

  it('converts KRW without decimals', () => {
    expect(seoul?.currency).toBe('KRW');
    expect(seoul?.lines[0]?.unitPriceMinor).toBe(45000);
    expect(seoul?.charges).toEqual([{ code: 'shipping', description: 'CJ대한통운 택배', amountMinor: 3000 }]);
  });

  it('cancels the cancelled order', () => {
    const [cancel] = recordsOfKind(records, 'cancel');
    expect(cancel).toEqual({ kind: 'cancel', recordId: 'line 6', orderId: '5829341118523', reason: 'other' });
    expect(lisbon?.placedAt).toBe('2024-03-03T08:55:01+00:00');
  });

  it('keeps decomposed accents as sent', () => {
    const name = 'Hélène Núñez'.normalize('NFD');
    const [record] = createShopifyCsvAdapter({ geocode: stubGeocoder() }).parse(toCsv(withCell(exportRows(), 1, 'Shipping Name', name)));
    const destination = orderOf(record).destination;
    expect(Buffer.from(destination?.name ?? '').equals(Buffer.from(name))).toBe(true);
  });

  it('reads a byte order mark', () => {
    const records = adapter.parse(`\uFEFF${readFixture(EXPORT)}`);
    expect(records.map((record) => record.kind)).toEqual(['order', 'order', 'order', 'cancel']);
  });
});

describe('shopify-csv corrupted input', () => {
  it('rejects the whole order for one bad line', () => {
    const records = adapter.parse(toCsv(withCell(exportRows(), 2, 'Lineitem quantity', 'one')));
    expect(records.map((record) => `${record.recordId} ${record.kind}`)).toEqual([
      'line 2 rejected',
      'line 5 order',
      'line 6 order',
      'line 6 cancel',
    ]);
    expect(rejectionReason(records[0])).toBe(
      'line 2 (order id 5829340987451): Lineitem quantity (line 3): "one" is invalid; expected a positive whole quantity',
    );
  });

  it('rejects a line without sku', () => {
    const records = adapter.parse(toCsv(withCell(exportRows(), 3, 'Lineitem sku', '')));
    expect(rejectionReason(records[0])).toBe(
      'line 2 (order id 5829340987451): Lineitem sku (line 4): missing; expected a SKU; the export has no variant id to use in its place',
    );
  });

  it('rejects a bad price', () => {
    const records = adapter.parse(toCsv(withCell(exportRows(), 4, 'Lineitem price', '45.000,00')));
    expect(rejectionReason(records[1])).toBe(
      'line 5 (order id 9007199254740993): Lineitem price (line 5): "45.000,00" is invalid; expected a decimal amount such as "19.99"',
    );
  });

  it('rejects an order that starts mid-file', () => {
    const rows = exportRows();
    const text = toCsv([rows[0] ?? [], ...rows.slice(2)]);
    const records = adapter.parse(text);
    expect(records[0]?.kind).toBe('rejected');
    expect(rejectionReason(records[0])).toBe(
      "line 2: Id (line 2): missing; expected the numeric Shopify order id on the order's first row",
    );
    expect(records.slice(1).map((record) => record.kind)).toEqual(['order', 'order', 'cancel']);
  });

  it('rejects an unknown city', () => {
    const records = adapter.parse(toCsv(withCell(exportRows(), 5, 'Shipping City', 'Atlantis')));
    expect(rejectionReason(records[2])).toBe(
      'line 6 (order id 5829341118523): Shipping City (line 6): "Atlantis" is invalid; ' +
        'expected a city that the geocoder knows in country "PT", or latitude and longitude on the address',
    );
    expect(records).toHaveLength(3);
  });

  it('throws on a truncated file', () => {
    const text = readFixture(EXPORT);
    const truncated = text.slice(0, text.indexOf('Roastery 41'));
    expect(() => adapter.parse(truncated)).toThrow(InputFormatError);
    expect(() => adapter.parse(truncated)).toThrow(/^shopify-csv: invalid CSV: Invalid Record Length: expect 79, got \d+ on line 4/);
  });

  it('throws on an unclosed quote', () => {
    const text = readFixture(EXPORT);
    const truncated = text.slice(0, text.indexOf('Yirgacheffe'));
    expect(() => adapter.parse(truncated)).toThrow(/^shopify-csv: invalid CSV: Quote Not Closed/);
  });

  it('throws on missing columns', () => {
    const rows = exportRows().map((row) => row.filter((_cell, index) => index !== 16 && index !== 20));
    expect(() => adapter.parse(toCsv(rows))).toThrow(
      'shopify-csv: header is missing the columns "Lineitem quantity", "Lineitem sku"; expected the header row of a Shopify orders export',
    );
  });

  it('throws on an empty file', () => {
    expect(() => adapter.parse('')).toThrow('shopify-csv: input is empty; expected a Shopify orders export with its header row');
  });

  it('reads a header-only file as no orders', () => {
    expect(adapter.parse(readFixture('shopify_orders_export_header.csv'))).toEqual([]);
  });

  it('rejects a malformed Created at', () => {
    const rows = exportRows();
    const text = toCsv(withCell(rows, 4, 'Created at', '03/02/2024 21:04'));
    const record = adapter.parse(text)[1];
    expect(rejectionReason(record)).toBe(
      'line 5 (order id 9007199254740993): Created at (line 5): "03/02/2024 21:04" is invalid; ' +
        "expected a time such as \"2024-03-01 10:15:22 -0500\" on the order's first row; a file that starts in the middle of an order lacks it",
    );
  });

  it('gives one record for a single-row order', () => {
    const rows = exportRows();
    const record = onlyRecord(adapter.parse(toCsv([rows[0] ?? [], rows[4] ?? []])));
    expect(record.kind).toBe('order');
  });
});

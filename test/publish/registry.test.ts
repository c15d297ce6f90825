import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  UnknownFormatError,
  detectFormat,
  getAdapter,
  isTextAdapter,
  listFormats,
  type ParsedRecord,
} from '../../src/publish/adapters/index.ts';
import { FIXTURES_DIR, readFixture, recordsOfKind, stubGeocoder } from './fixtures.ts';

const ACCEPTED = ['uci-csv', 'jsonl', 'shopify-webhook', 'shopify-csv', 'woocommerce'];

const UCI_CSV = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
  'C536379,71053,WHITE METAL LANTERN,-1,2010-12-01 09:41:00,3.39,17850.0,United Kingdom',
  '',
].join('\n');

async function collect(records: AsyncIterable<ParsedRecord>): Promise<ParsedRecord[]> {
  const result: ParsedRecord[] = [];
  for await (const record of records) result.push(record);
  return result;
}

function catchError(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('getAdapter', () => {
  it('returns every accepted format', () => {
    for (const name of ACCEPTED) expect(getAdapter(name).format).toBe(name);
    expect(listFormats().map((entry) => entry.format)).toEqual(ACCEPTED);
  });

  it('lists accepted formats for an unknown name', () => {
    const error = catchError(() => getAdapter('magento'));
    expect(error).toBeInstanceOf(UnknownFormatError);
    expect(error.message).toMatch(/^unknown format "magento"; expected one of these formats:\n/);
    for (const name of ACCEPTED) expect(error.message).toContain(`\n  ${name}: `);
    expect((error as UnknownFormatError).accepted).toEqual(ACCEPTED);
  });

  it('marks uci-csv as streaming only', () => {
    expect(isTextAdapter(getAdapter('uci-csv'))).toBe(false);
    expect(isTextAdapter(getAdapter('woocommerce'))).toBe(true);
  });
});

describe('detectFormat', () => {
  it.each([
    ['shopify_webhook_orders_create_test_notification_2019.json', 'shopify-webhook'],
    ['woocommerce_v3_order_create_response.json', 'woocommerce'],
    ['shopify_orders_export_3_orders.csv', 'shopify-csv'],
    ['shopify_orders_export_header.csv', 'shopify-csv'],
  ])('detects %s as %s', (file, format) => {
    expect(detectFormat(file, readFixture(file))).toBe(format);
  });

  it('detects wrapped and listed orders', () => {
    const shopify = readFixture('shopify_webhook_orders_create_test_notification_2019.json');
    const woo = readFixture('woocommerce_v3_order_create_response.json');
    expect(detectFormat('orders.json', `{"orders": [${shopify}]}`)).toBe('shopify-webhook');
    expect(detectFormat('order.json', `{"order": ${shopify}}`)).toBe('shopify-webhook');
    expect(detectFormat('orders.json', `[${woo}, ${woo}]`)).toBe('woocommerce');
  });

  it('detects truncated JSON by its keys', () => {
    const woo = readFixture('woocommerce_v3_order_create_response.json');
    expect(detectFormat('order.json', woo.slice(0, 400))).toBe('woocommerce');
  });

  it('detects JSON lines', () => {
    const line = '{"orderId":"A-1","lines":[]}';
    expect(detectFormat('orders.jsonl', `${line}\n${line}\n`)).toBe('jsonl');
    expect(detectFormat('orders.jsonl', line)).toBe('jsonl');
  });

  it('detects UCI CSV and gzip files', () => {
    expect(detectFormat('2010-12-01.csv', UCI_CSV)).toBe('uci-csv');
    expect(detectFormat('uci-online-retail-2010-12.csv.gz', '\u001f\u008b')).toBe('uci-csv');
  });

  it('lists accepted formats for an unknown shape', () => {
    const error = catchError(() => detectFormat('products.csv', 'Handle,Title,Body (HTML)\nmug,Mug,\n'));
    expect(error).toBeInstanceOf(UnknownFormatError);
    expect(error.message).toMatch(
      /^cannot detect the format of products.csv: it starts with "Handle,Title,Body \(HTML\)\\nmug,Mug,\\n"; pass --format; expected one of these formats:\n/,
    );
    for (const name of ACCEPTED) expect(error.message).toContain(`\n  ${name}: `);
  });

  it('rejects JSON of another shape', () => {
    expect(() => detectFormat('product.json', '{"product": {"id": 1}}')).toThrow(UnknownFormatError);
    expect(() => detectFormat('order.json', JSON.stringify({ orderId: 'A-1', lines: [] }, null, 2))).toThrow(UnknownFormatError);
  });

  it('rejects an empty file', () => {
    expect(() => detectFormat('orders.csv', '')).toThrow('cannot detect the format of orders.csv: it is empty; pass --format');
  });
});

describe('adapter read', () => {
  let folder = '';

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'switchyard-adapters-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads a text format from a file', async () => {
    const adapter = getAdapter('shopify-webhook', { geocode: stubGeocoder() });
    const records = await collect(adapter.read(join(FIXTURES_DIR, 'shopify_webhook_orders_create_test_notification_2019.json')));
    expect(records.map((record) => record.kind)).toEqual(['order', 'cancel']);
  });

  it('rejects a bad file before any record', async () => {
    const path = join(folder, 'empty.json');
    await writeFile(path, '');
    await expect(collect(getAdapter('woocommerce').read(path))).rejects.toThrow('woocommerce: input is empty');
  });

  it('reads UCI CSV through the UCI reader', async () => {
    const path = join(folder, '2010-12-01.csv');
    await writeFile(path, UCI_CSV);
    const records = await collect(getAdapter('uci-csv').read(path));
    expect(records.map((record) => `${record.recordId} ${record.kind}`)).toEqual(['536365 order', 'C536379 cancel']);
    const [cancel] = recordsOfKind(records, 'cancel');
    expect(cancel?.orderId).toBe('536365');
    expect(cancel?.lines).toEqual([{ sku: '71053', quantity: 1 }]);
  });
});

import { connect, type NatsConnection } from '@nats-io/transport-node';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputFormatError, UnknownFormatError } from '../../src/publish/adapters/index.ts';
import { groupRejections, publishFile, readFileRecords, reasonGroup, writeRejections } from '../../src/publish/publishFile.ts';
import { ensureStreams } from '../../src/transport/streams.ts';
import { startNatsServer, type NatsServerHandle } from '../../src/transport/natsServer.ts';
import { FIXTURES_DIR } from '../publish/fixtures.ts';
import { tempDir } from '../support/tempDir.ts';
import { recreateStream, streamMessageCount, streamMessages } from './streamMessages.ts';

const SHOPIFY_CSV = join(FIXTURES_DIR, 'shopify_orders_export_3_orders.csv');
const SHOPIFY_HEADER_ONLY = join(FIXTURES_DIR, 'shopify_orders_export_header.csv');
const SHOPIFY_WEBHOOK = join(FIXTURES_DIR, 'shopify_webhook_orders_create_test_notification_2019.json');
const WOOCOMMERCE = join(FIXTURES_DIR, 'woocommerce_v3_order_create_response.json');

const UCI_CSV = [
  'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
  '536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,17851.0,Unspecified',
  '536368,22632,HAND WARMER RED POLKA DOT,6,2010-12-01 08:34:00,1.85,17852.0,Unspecified',
  'C536379,71053,WHITE METAL LANTERN,-1,2010-12-01 09:41:00,3.39,17850.0,United Kingdom',
  '',
].join('\n');

const JSONL_ORDER = {
  orderId: 'W-1001',
  placedAt: '2024-03-02T21:04:10+09:00',
  currency: 'KRW',
  destination: { name: '김서연', line1: '테헤란로 152, Nº 1204', city: 'Seoul', country: 'KR', lat: 37.566, lon: 126.978 },
  lines: [{ lineId: '1', sku: 'HANJI-A5-03', quantity: 2, unitPriceMinor: 45000 }],
};

describe('publishFile', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let dir: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await ensureStreams(nc);
    dir = await tempDir('publish-file');
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
    await dir?.remove();
  });

  beforeEach(async () => {
    await recreateStream(nc);
  });

  it('publishes the Shopify CSV export', async () => {
    const summary = await publishFile({ nc, path: SHOPIFY_CSV });

    expect(summary.format).toBe('shopify-csv');
    expect(summary.recordsRead).toBe(4);
    expect(summary.ordersPublished).toBe(3);
    expect(summary.cancelsPublished).toBe(1);
    expect(summary.rejections).toEqual([]);
    const messages = await streamMessages(nc);
    expect(messages.map((message) => [message.subject, message.msgId])).toEqual([
      ['sy.cmd.order.5829340987451.place', 'place:shopify:5829340987451'],
      ['sy.cmd.order.9007199254740993.place', 'place:shopify:9007199254740993'],
      ['sy.cmd.order.5829341118523.place', 'place:shopify:5829341118523'],
      ['sy.cmd.order.5829341118523.cancel', 'cancel:shopify:5829341118523'],
    ]);
  });

  it('keeps 64-bit ids as exact strings', async () => {
    await publishFile({ nc, path: SHOPIFY_CSV });

    const [, seoul] = await streamMessages(nc);
    const order = seoul?.payload.order as { orderId: unknown; destination: { name: unknown } };
    expect(order.orderId).toBe('9007199254740993');
    expect(order.destination.name).toBe('김서연');
  });

  it('publishes the WooCommerce order', async () => {
    const summary = await publishFile({ nc, path: WOOCOMMERCE });

    expect(summary.format).toBe('woocommerce');
    expect([summary.recordsRead, summary.ordersPublished, summary.cancelsPublished, summary.rejections.length]).toEqual([1, 1, 0, 0]);
    const messages = await streamMessages(nc);
    expect(messages.map((message) => message.msgId)).toEqual(['place:woocommerce:727']);
  });

  it('rejects the Shopify webhook sample with its reason', async () => {
    const summary = await publishFile({ nc, path: SHOPIFY_WEBHOOK });

    expect(summary.format).toBe('shopify-webhook');
    expect([summary.recordsRead, summary.ordersPublished, summary.cancelsPublished]).toEqual([1, 0, 0]);
    expect(summary.rejections).toHaveLength(1);
    expect(summary.rejections[0]?.recordId).toBe('order 1');
    expect(summary.rejections[0]?.reason).toContain('shipping_address.city: "Shippington" is invalid');
    expect(summary.rejectionGroups).toEqual([
      { reason: 'shipping_address.city: "…" is invalid; expected a city that the geocoder knows in country "…", or latitude and longitude on the address', count: 1, recordIds: ['order 1'] },
    ]);
    expect(await streamMessageCount(nc)).toBe(0);
  });

  it('reads a header-only export as empty', async () => {
    const summary = await publishFile({ nc, path: SHOPIFY_HEADER_ONLY });

    expect([summary.recordsRead, summary.ordersPublished, summary.rejections.length]).toEqual([0, 0, 0]);
    expect(await streamMessageCount(nc)).toBe(0);
  });

  it('publishes UCI orders, cancels and rejections', async () => {
    const path = join(dir.path, 'invoices.csv');
    await writeFile(path, UCI_CSV);

    const summary = await publishFile({ nc, path });

    expect(summary.format).toBe('uci-csv');
    expect([summary.recordsRead, summary.ordersPublished, summary.cancelsPublished]).toEqual([4, 1, 1]);
    expect(summary.rejections.map((rejection) => rejection.recordId)).toEqual(['536366', '536368']);
    expect(summary.rejectionGroups).toHaveLength(1);
    expect(summary.rejectionGroups[0]?.count).toBe(2);
    expect(summary.rejectionGroups[0]?.reason).toMatch(/^Country "…" means the retailer did not record the destination/);
    const messages = await streamMessages(nc);
    expect(messages.map((message) => message.msgId)).toEqual(['place:uci:536365', 'cancel:uci:536365:C536379']);
  });

  it('publishes JSON lines and rejects an invalid line', async () => {
    const path = join(dir.path, 'orders.jsonl');
    const invalid = { ...JSONL_ORDER, orderId: 'W-1002', currency: 'won' };
    await writeFile(path, [JSONL_ORDER, invalid, { ...JSONL_ORDER, orderId: 'W-1003' }].map((order) => JSON.stringify(order)).join('\n'));

    const summary = await publishFile({ nc, path });

    expect(summary.format).toBe('jsonl');
    expect([summary.recordsRead, summary.ordersPublished, summary.cancelsPublished]).toEqual([3, 2, 0]);
    expect(summary.rejections).toHaveLength(1);
    expect(summary.rejections[0]?.recordId).toBe('line 2');
    expect(summary.rejections[0]?.reason).toContain('currency');
    const messages = await streamMessages(nc);
    expect(messages.map((message) => message.msgId)).toEqual(['place:api:W-1001', 'place:api:W-1003']);
  });

  it('publishes a republished file once', async () => {
    await publishFile({ nc, path: SHOPIFY_CSV });
    const summary = await publishFile({ nc, path: SHOPIFY_CSV });

    expect(summary.ordersPublished).toBe(3);
    expect(await streamMessageCount(nc)).toBe(4);
  });

  it('publishes nothing from a truncated file', async () => {
    const path = join(dir.path, 'truncated.json');
    const text = await readFile(WOOCOMMERCE, 'utf8');
    await writeFile(path, text.slice(0, Math.floor(text.length / 2)));

    const publishing = publishFile({ nc, path });

    await expect(publishing).rejects.toBeInstanceOf(InputFormatError);
    expect(await streamMessageCount(nc)).toBe(0);
  });

  it('publishes nothing from broken CSV quoting', async () => {
    const path = join(dir.path, 'broken-quote.csv');
    const text = await readFile(SHOPIFY_CSV, 'utf8');
    await writeFile(path, text.replace('#1003,', '#1003,"unterminated'));

    await expect(publishFile({ nc, path })).rejects.toThrow();
    expect(await streamMessageCount(nc)).toBe(0);
  });

  it('rejects an unknown format name', async () => {
    const publishing = publishFile({ nc, path: SHOPIFY_CSV, format: 'magento' });

    await expect(publishing).rejects.toBeInstanceOf(UnknownFormatError);
    await expect(publishing).rejects.toThrow(/expected one of these formats:\n {2}uci-csv: /);
    expect(await streamMessageCount(nc)).toBe(0);
  });

  it('rejects an undetectable shape', async () => {
    const path = join(dir.path, 'notes.txt');
    await writeFile(path, 'just some notes\n');

    await expect(publishFile({ nc, path })).rejects.toThrow(/cannot detect the format of .*notes\.txt.*\n {2}woocommerce: /s);
    expect(await streamMessageCount(nc)).toBe(0);
  });

  it('rejects a missing file', async () => {
    await expect(publishFile({ nc, path: join(dir.path, 'missing.csv') })).rejects.toThrow(/ENOENT/);
    expect(await streamMessageCount(nc)).toBe(0);
  });

  it('reports read and progress counts', async () => {
    const read: number[] = [];
    const progress: number[] = [];

    await publishFile({ nc, path: SHOPIFY_CSV, onRead: (records) => read.push(records), onProgress: (handled) => progress.push(handled) });

    expect(read).toEqual([4]);
    expect(progress).toEqual([1, 2, 3, 4]);
  });
});

describe('readFileRecords', () => {
  it('honours an explicit format', async () => {
    const file = await readFileRecords(SHOPIFY_CSV, 'shopify-csv');

    expect(file.format).toBe('shopify-csv');
    expect(file.records).toHaveLength(4);
  });

  it('rejects a folder without a format', async () => {
    await expect(readFileRecords(FIXTURES_DIR)).rejects.toThrow(/is a folder; only uci-csv reads folders/);
  });
});

describe('groupRejections', () => {
  const rejections = [
    { recordId: 'line 2', reason: 'line 2 (order id 1): shipping_address.city: "Atlantis" is invalid; expected a known city' },
    { recordId: 'line 3', reason: 'line 3: lines[0].quantity: 0 is invalid; expected a positive quantity' },
    { recordId: 'line 5', reason: 'line 5 (order id 3): shipping_address.city: "Lemuria" is invalid; expected a known city' },
    { recordId: 'line 7', reason: 'line 7: lines[4].quantity: -2 is invalid; expected a positive quantity' },
    { recordId: 'line 9', reason: 'line 9 (order id 5): shipping_address.city: "Mu" is invalid; expected a known city' },
  ];

  it('groups by masked reason', () => {
    const groups = groupRejections(rejections);

    expect(groups.map((group) => [group.reason, group.count])).toEqual([
      ['shipping_address.city: "…" is invalid; expected a known city', 3],
      ['lines[n].quantity: … is invalid; expected a positive quantity', 2],
    ]);
  });

  it('keeps the first record ids', () => {
    const groups = groupRejections(rejections, 2);

    expect(groups[0]?.recordIds).toEqual(['line 2', 'line 5']);
    expect(groups[1]?.recordIds).toEqual(['line 3', 'line 7']);
  });

  it('masks values of schema issues', () => {
    expect(reasonGroup('order.orderId: invalid order id (got "a.b")', 'line 4')).toBe('order.orderId: invalid order id (got …)');
    expect(reasonGroup('placedAt: expected an ISO 8601 timestamp (missing)', 'line 4')).toBe('placedAt: expected an ISO 8601 timestamp (missing)');
  });

  it('masks ids inside the reason', () => {
    expect(reasonGroup('cancellation C539756 has no CustomerID (guest); expected a customer id', 'C539756')).toBe('cancellation … has no CustomerID (guest); expected a customer id');
    expect(reasonGroup('SKUs 22943, 85123A are in no earlier order of customer 14944; expected goods ordered before', 'C539830')).toBe('SKUs … are in no earlier order of customer …; expected goods ordered before');
  });

  it('keeps numbers in the expectation', () => {
    expect(reasonGroup('line 4: lines: 10001 lines; expected at most 10,000 lines', 'line 4')).toBe('lines: … lines; expected at most 10,000 lines');
  });

  it('keeps the first of several issues', () => {
    expect(reasonGroup('order 2: currency: invalid (got "won")\norder 2: lines: too many', 'order 2')).toBe('currency: invalid (got …)');
  });
});

describe('writeRejections', () => {
  it('writes one JSON line per rejection', async () => {
    const dir = await tempDir('rejections');
    try {
      const path = join(dir.path, 'nested', 'orders.csv.rejections.jsonl');
      await writeRejections(path, [{ recordId: 'line 2', reason: 'name "Nº 1" is invalid' }]);

      expect(await readFile(path, 'utf8')).toBe('{"recordId":"line 2","reason":"name \\"Nº 1\\" is invalid"}\n');
    } finally {
      await dir.remove();
    }
  });
});

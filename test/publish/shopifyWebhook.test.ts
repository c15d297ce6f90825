import { describe, expect, it } from 'vitest';
import { geocodeCity } from '../../src/data/geo.ts';
import { InputFormatError } from '../../src/publish/adapters/errors.ts';
import { createShopifyWebhookAdapter } from '../../src/publish/adapters/shopifyWebhook.ts';
import {
  STUB_COORDINATES,
  onlyRecord,
  orderOf,
  readFixture,
  readJsonFixture,
  recordsOfKind,
  rejectionReason,
  stubGeocoder,
} from './fixtures.ts';

const SAMPLE = 'shopify_webhook_orders_create_test_notification_2019.json';

function parseWithStub(text: string) {
  return createShopifyWebhookAdapter({ geocode: stubGeocoder() }).parse(text);
}

/** The sample with one change applied; ids above 2^53 are re-inserted as exact digits. */
function corruptedSample(change: (order: Record<string, unknown>) => void): string {
  const order = readJsonFixture(SAMPLE);
  change(order);
  return JSON.stringify(order).replace('"id":820982911946154500', '"id":820982911946154508');
}

describe('shopify-webhook sample', () => {
  const records = parseWithStub(readFixture(SAMPLE));
  const [order] = recordsOfKind(records, 'order').map((record) => record.order);

  it('yields the order then its cancel', () => {
    expect(records.map((record) => record.kind)).toEqual(['order', 'cancel']);
    expect(records.map((record) => record.recordId)).toEqual(['order 1', 'order 1']);
  });

  it('keeps 64-bit ids exact as strings', () => {
    expect(order?.orderId).toBe('820982911946154508');
    expect(order?.lines.map((line) => line.lineId)).toEqual(['866550311766439020', '141249953214522974']);
    expect(order?.customer?.customerId).toBe('115310627314723954');
  });

  it('maps order fields', () => {
    expect(order?.source).toBe('shopify');
    expect(order?.placedAt).toBe('2019-06-04T13:53:06-04:00');
    expect(order?.currency).toBe('USD');
    expect(order?.channel).toBe('web');
    expect(order?.shippingMethod).toBe('Generic Shipping');
    expect(order?.customer).toEqual({ customerId: '115310627314723954', name: 'John Smith', email: 'jon@doe.ca', tags: [] });
  });

  it('maps the shipping address', () => {
    expect(order?.destination).toEqual({
      name: 'Steve Shipper',
      company: 'Shipping Company',
      line1: '123 Shipping Street',
      city: 'Shippington',
      region: 'KY',
      postalCode: '40003',
      country: 'US',
      phone: '555-555-SHIP',
      ...STUB_COORDINATES,
    });
  });

  it('maps lines with prices in cents and the discount as attribute', () => {
    const [first, second] = order?.lines ?? [];
    expect(first).toMatchObject({ sku: 'IPOD2008PINK', quantity: 1, unit: 'each', unitPriceMinor: 19900, description: 'IPod Nano - 8GB' });
    expect(first?.attributes).toEqual({ variantId: '808950810', productId: '632910392' });
    expect(second).toMatchObject({ sku: 'IPOD2008PINK', quantity: 1, unitPriceMinor: 19900 });
    expect(second?.attributes?.discountMinor).toBe('500');
  });

  it('maps the shipping line to a charge', () => {
    expect(order?.charges).toEqual([{ code: 'shipping', description: 'Generic Shipping', amountMinor: 1000 }]);
  });

  it('cancels with the cancel_reason', () => {
    const [cancel] = recordsOfKind(records, 'cancel');
    expect(cancel).toEqual({ kind: 'cancel', recordId: 'order 1', orderId: '820982911946154508', reason: 'customer' });
  });
});

describe('shopify-webhook mapping', () => {
  it('rejects the sample city the geocoder does not know', () => {
    const adapter = createShopifyWebhookAdapter({ geocode: geocodeCity });
    const record = onlyRecord(adapter.parse(readFixture(SAMPLE)));
    expect(record.kind).toBe('rejected');
    expect(rejectionReason(record)).toBe(
      'order 1 (order id 820982911946154508): shipping_address.city: "Shippington" is invalid; ' +
        'expected a city that the geocoder knows in country "US", or latitude and longitude on the address',
    );
  });

  it('uses coordinates from the address', () => {
    const geocode = stubGeocoder();
    const text = corruptedSample((order) => {
      Object.assign(order.shipping_address as object, { latitude: 38.0406, longitude: -84.5037 });
    });
    const [record] = createShopifyWebhookAdapter({ geocode }).parse(text);
    expect(orderOf(record).destination).toMatchObject({ lat: 38.0406, lon: -84.5037 });
    expect(geocode.calls).toEqual([]);
  });

  it('geocodes a real city', () => {
    const text = corruptedSample((order) => {
      Object.assign(order.shipping_address as object, { city: 'Louisville' });
    });
    const [record] = createShopifyWebhookAdapter({ geocode: geocodeCity }).parse(text);
    expect(record?.kind).toBe('order');
    const destination = orderOf(record).destination;
    expect(destination?.lat).toBeCloseTo(38.25, 1);
    expect(destination?.lon).toBeCloseTo(-85.76, 1);
  });

  it('uses the variant id when sku is empty', () => {
    const text = corruptedSample((order) => {
      const [line] = order.line_items as Record<string, unknown>[];
      if (line !== undefined) line.sku = '';
    });
    const [record] = parseWithStub(text);
    expect(orderOf(record).lines[0]?.sku).toBe('variant:808950810');
  });

  it('omits the cancel for a live order', () => {
    const text = corruptedSample((order) => {
      order.cancelled_at = null;
      order.cancel_reason = null;
    });
    expect(parseWithStub(text).map((record) => record.kind)).toEqual(['order']);
  });

  it('keeps non-ASCII names byte for byte', () => {
    const name = 'Renée Núñez-김서연'.normalize('NFD');
    const text = corruptedSample((order) => {
      Object.assign(order.shipping_address as object, { name, address1: 'Rua Augusta Nº 27' });
    });
    const [record] = parseWithStub(text);
    const destination = orderOf(record).destination;
    expect(Buffer.from(destination?.name ?? '').equals(Buffer.from(name))).toBe(true);
    expect(destination?.line1).toBe('Rua Augusta Nº 27');
  });

  it('reads an Admin API orders list', () => {
    const sample = readFixture(SAMPLE);
    const records = parseWithStub(`{"orders": [${sample}, ${sample}]}`);
    expect(records.map((record) => `${record.recordId} ${record.kind}`)).toEqual([
      'order 1 order',
      'order 1 cancel',
      'order 2 order',
      'order 2 cancel',
    ]);
  });

  it('converts JPY prices without decimals', () => {
    const text = corruptedSample((order) => {
      order.currency = 'JPY';
      const [line] = order.line_items as Record<string, unknown>[];
      if (line !== undefined) line.price = '1980';
    });
    const [record] = parseWithStub(text);
    expect(orderOf(record).lines[0]?.unitPriceMinor).toBe(1980);
  });
});

describe('shopify-webhook corrupted input', () => {
  it('rejects a line without quantity', () => {
    const text = corruptedSample((order) => {
      const [line] = order.line_items as Record<string, unknown>[];
      if (line !== undefined) delete line.quantity;
    });
    const record = onlyRecord(parseWithStub(text));
    expect(record).toEqual({
      kind: 'rejected',
      recordId: 'order 1',
      reason: 'order 1 (order id 820982911946154508): line_items[0].quantity: missing; expected a positive whole quantity',
    });
  });

  it('rejects a price of the wrong type', () => {
    const text = corruptedSample((order) => {
      const lines = order.line_items as Record<string, unknown>[];
      const second = lines[1];
      if (second !== undefined) second.price = { amount: '199.00' };
    });
    const record = onlyRecord(parseWithStub(text));
    expect(rejectionReason(record)).toBe(
      'order 1 (order id 820982911946154508): line_items[1].price: {"amount":"199.00"} is invalid; expected a decimal amount such as "19.99"',
    );
  });

  it('rejects an order without id', () => {
    const text = corruptedSample((order) => {
      delete order.id;
    });
    const record = onlyRecord(parseWithStub(text));
    expect(rejectionReason(record)).toBe('order 1: id: missing; expected a non-negative integer id');
  });

  it('rejects an order without shipping address', () => {
    const text = corruptedSample((order) => {
      order.shipping_address = null;
    });
    const record = onlyRecord(parseWithStub(text));
    expect(rejectionReason(record)).toContain('shipping_address: missing; expected a shipping address object');
  });

  it('rejects a schema violation with every issue', () => {
    const text = corruptedSample((order) => {
      order.currency = 'usd';
      order.created_at = '04/06/2019';
    });
    const record = onlyRecord(parseWithStub(text));
    const reason = rejectionReason(record);
    expect(reason).toContain('order 1 (order id 820982911946154508): placedAt: expected an ISO 8601 timestamp');
    expect(reason).toContain('("04/06/2019")');
    expect(reason).toContain('order 1 (order id 820982911946154508): currency: expected an ISO 4217 currency code such as "GBP" ("usd")');
  });

  it('rejects one bad order among good ones', () => {
    const good = readFixture(SAMPLE);
    const bad = corruptedSample((order) => {
      order.line_items = [];
    });
    const records = parseWithStub(`[${good}, ${bad}]`);
    expect(records.map((record) => `${record.recordId} ${record.kind}`)).toEqual(['order 1 order', 'order 1 cancel', 'order 2 rejected']);
  });

  it('throws on truncated JSON', () => {
    const text = readFixture(SAMPLE).slice(0, 3000);
    expect(() => parseWithStub(text)).toThrow(InputFormatError);
    expect(() => parseWithStub(text)).toThrow(/^shopify-webhook: invalid JSON at line \d+, column \d+: .*end of input/);
  });

  it('throws on an empty file', () => {
    expect(() => parseWithStub('')).toThrow('shopify-webhook: input is empty; expected a Shopify order object');
    expect(() => parseWithStub(' \n ')).toThrow(InputFormatError);
  });

  it('throws on an object of another shape', () => {
    expect(() => parseWithStub('{"product": {"id": 1}}')).toThrow('shopify-webhook: found a JSON object with keys product; expected');
  });
});

import { describe, expect, it } from 'vitest';
import { geocodeCity } from '../../src/data/geo.ts';
import { InputFormatError } from '../../src/publish/adapters/errors.ts';
import { createWooCommerceAdapter } from '../../src/publish/adapters/woocommerce.ts';
import { onlyRecord, orderOf, readFixture, readJsonFixture, recordsOfKind, rejectionReason, stubGeocoder } from './fixtures.ts';

const SAMPLE = 'woocommerce_v3_order_create_response.json';
const adapter = createWooCommerceAdapter({ geocode: geocodeCity });

function corruptedSample(change: (order: Record<string, unknown>) => void): string {
  const order = readJsonFixture(SAMPLE);
  change(order);
  return JSON.stringify(order);
}

function lineItems(order: Record<string, unknown>): Record<string, unknown>[] {
  return order.line_items as Record<string, unknown>[];
}

describe('woocommerce sample', () => {
  const records = adapter.parse(readFixture(SAMPLE));
  const [order] = recordsOfKind(records, 'order').map((record) => record.order);

  it('yields one order', () => {
    expect(records.map((record) => `${record.recordId} ${record.kind}`)).toEqual(['order 1 order']);
  });

  it('maps order fields', () => {
    expect(order?.orderId).toBe('727');
    expect(order?.source).toBe('woocommerce');
    expect(order?.placedAt).toBe('2017-03-22T19:28:02Z');
    expect(order?.currency).toBe('USD');
    expect(order?.channel).toBe('rest-api');
    expect(order?.shippingMethod).toBe('flat_rate');
    expect(order?.customer).toEqual({ name: 'John Doe', email: 'john.doe@example.com', tags: [] });
  });

  it('geocodes the shipping city', () => {
    expect(order?.destination).toMatchObject({
      name: 'John Doe',
      line1: '969 Market',
      city: 'San Francisco',
      region: 'CA',
      postalCode: '94103',
      country: 'US',
      phone: '(555) 555-5555',
    });
    expect(order?.destination.lat).toBeCloseTo(37.77, 1);
    expect(order?.destination.lon).toBeCloseTo(-122.42, 1);
    expect(order?.destination.company).toBeUndefined();
    expect(order?.destination.line2).toBeUndefined();
  });

  it('maps lines and their sku fallback', () => {
    const [first, second] = order?.lines ?? [];
    expect(first).toMatchObject({ lineId: '315', sku: 'product:93', quantity: 2, unitPriceMinor: 300, description: 'Woo Single #1' });
    expect(first?.attributes).toEqual({ productId: '93' });
    expect(second).toMatchObject({ lineId: '316', sku: 'Bar3', quantity: 1, unitPriceMinor: 1200 });
    expect(second?.description).toBe('Ship Your Idea &ndash; Color: Black, Size: M Test');
    expect(second?.attributes).toEqual({ productId: '22', variationId: '23', 'meta:pa_color': 'black', 'meta:size': 'M Test' });
  });

  it('maps the shipping line to a charge', () => {
    expect(order?.charges).toEqual([{ code: 'shipping', description: 'Flat Rate', amountMinor: 1000 }]);
  });
});

describe('woocommerce mapping', () => {
  it('keeps the line discount as attribute', () => {
    const text = corruptedSample((order) => {
      const [line] = lineItems(order);
      if (line !== undefined) Object.assign(line, { subtotal: '10.00', total: '8.50', quantity: 3 });
    });
    const [record] = adapter.parse(text);
    const line = orderOf(record).lines[0];
    expect(line?.unitPriceMinor).toBe(333);
    expect(line?.attributes?.discountMinor).toBe('150');
  });

  it('uses the variation id when sku is empty', () => {
    const text = corruptedSample((order) => {
      const [, line] = lineItems(order);
      if (line !== undefined) line.sku = '';
    });
    const [record] = adapter.parse(text);
    expect(orderOf(record).lines[1]?.sku).toBe('variation:23');
  });

  it('cancels a cancelled order', () => {
    const text = corruptedSample((order) => {
      order.status = 'cancelled';
    });
    const records = adapter.parse(text);
    expect(records.map((record) => record.kind)).toEqual(['order', 'cancel']);
    expect(records[1]).toEqual({ kind: 'cancel', recordId: 'order 1', orderId: '727', reason: 'cancelled' });
  });

  it('rejects a checkout draft', () => {
    const text = corruptedSample((order) => {
      order.status = 'checkout-draft';
    });
    const record = onlyRecord(adapter.parse(text));
    expect(rejectionReason(record)).toBe(
      'order 1 (order id 727): status: "checkout-draft" is invalid; expected a placed order; checkout-draft and trash orders are not published',
    );
  });

  it('reads an array of orders', () => {
    const sample = readJsonFixture(SAMPLE);
    const text = JSON.stringify([sample, { ...sample, id: 728, status: 'refunded' }]);
    const records = adapter.parse(text);
    expect(records.map((record) => `${record.recordId} ${record.kind}`)).toEqual(['order 1 order', 'order 2 order', 'order 2 cancel']);
  });

  it('keeps non-ASCII names byte for byte', () => {
    const geocode = stubGeocoder();
    const text = corruptedSample((order) => {
      Object.assign(order.shipping as object, {
        first_name: '서연',
        last_name: 'Kim Núñez',
        address_1: 'Calle Mayor Nº 5',
        city: 'São Paulo',
        country: 'BR',
      });
    });
    const [record] = createWooCommerceAdapter({ geocode }).parse(text);
    const destination = orderOf(record).destination;
    expect(destination?.name).toBe('서연 Kim Núñez');
    expect(destination?.line1).toBe('Calle Mayor Nº 5');
    expect(destination?.city).toBe('São Paulo');
    expect(geocode.calls).toEqual([['BR', 'São Paulo']]);
  });
});

describe('woocommerce corrupted input', () => {
  it('rejects a line without subtotal', () => {
    const text = corruptedSample((order) => {
      const [line] = lineItems(order);
      if (line !== undefined) delete line.subtotal;
    });
    const record = onlyRecord(adapter.parse(text));
    expect(rejectionReason(record)).toBe(
      'order 1 (order id 727): line_items[0].subtotal: missing; expected a decimal amount such as "19.99"',
    );
  });

  it('rejects a quantity of the wrong type', () => {
    const text = corruptedSample((order) => {
      const [, line] = lineItems(order);
      if (line !== undefined) line.quantity = 'two';
    });
    const record = onlyRecord(adapter.parse(text));
    expect(rejectionReason(record)).toBe(
      'order 1 (order id 727): line_items[1].quantity: "two" is invalid; expected a positive whole quantity',
    );
  });

  it('rejects a virtual order without address', () => {
    const text = corruptedSample((order) => {
      Object.assign(order.shipping as object, { city: '', country: '' });
    });
    const record = onlyRecord(adapter.parse(text));
    expect(rejectionReason(record)).toContain('shipping.country: missing; expected an ISO 3166-1 alpha-2 country code');
  });

  it('rejects a local time without offset', () => {
    const text = corruptedSample((order) => {
      delete order.date_created_gmt;
    });
    const record = onlyRecord(adapter.parse(text));
    expect(rejectionReason(record)).toBe(
      'order 1 (order id 727): date_created_gmt: missing; expected a UTC timestamp such as "2017-03-22T19:28:02"',
    );
  });

  it('throws on truncated JSON', () => {
    const text = readFixture(SAMPLE).slice(0, 1500);
    expect(() => adapter.parse(text)).toThrow(InputFormatError);
    expect(() => adapter.parse(text)).toThrow(/^woocommerce: invalid JSON at line \d+, column \d+/);
  });

  it('throws on an empty file', () => {
    expect(() => adapter.parse('')).toThrow('woocommerce: input is empty; expected a WooCommerce REST API v3 order object');
  });

  it('throws on a JSON string', () => {
    expect(() => adapter.parse('"727"')).toThrow('woocommerce: found a JSON string; expected');
  });
});

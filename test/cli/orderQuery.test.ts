import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectSlips } from '../../src/cli/commands/packingSlip.ts';
import { formatOrderStatus } from '../../src/cli/commands/status.ts';
import { OrderQueryError, queryOrder, type OrderView } from '../../src/packing/orderQuery.ts';
import { encode } from '../../src/transport/codec.ts';
import { startNatsServer, type NatsServerHandle } from '../../src/transport/natsServer.ts';

const ORDER = {
  schema: 'switchyard.order/1',
  orderId: 'K-1',
  source: 'api',
  placedAt: '2024-03-02T21:04:10+09:00',
  channel: 'web',
  orderType: 'standard',
  shippingMethod: 'standard',
  currency: 'KRW',
  customer: { tags: [] },
  destination: { name: '김서연', city: 'Seoul', country: 'KR', lat: 37.566, lon: 126.978 },
  lines: [
    { lineId: '1', sku: 'HANJI-A5-03', quantity: 2, unit: 'each', unitPriceMinor: 45000, description: '한지 노트북' },
    { lineId: '2', sku: 'RICE-KG', quantity: 1.5, unit: 'kg', unitPriceMinor: 3000 },
  ],
  charges: [],
};

/** A reply as the engine's order query sends it, before validation. */
const REPLY = {
  orderId: 'K-1',
  status: 'partially_shipped',
  order: ORDER,
  rejection: undefined,
  holdReason: undefined,
  lines: [
    { lineId: '1', sku: 'HANJI-A5-03', unit: 'each', ordered: 2, cancelled: 0, backordered: 0, shipped: 2, delivered: 0 },
    { lineId: '2', sku: 'RICE-KG', unit: 'kg', ordered: 1500, cancelled: 0, backordered: 500, shipped: 0, delivered: 0, backorderReason: 'not_in_stock' },
  ],
  allocations: [
    { allocationId: 'K-1-1-seoul-dc', nodeId: 'seoul-dc', lines: [{ lineId: '1', sku: 'HANJI-A5-03', quantity: 2 }], status: 'shipped', carrier: 'CJ Logistics', trackingNumber: 'CJ1' },
    { allocationId: 'K-1-1-busan-dc', nodeId: 'busan-dc', lines: [{ lineId: '2', sku: 'RICE-KG', quantity: 1000 }], status: 'requested' },
    { allocationId: 'K-1-0-incheon', nodeId: 'incheon', lines: [{ lineId: '2', sku: 'RICE-KG', quantity: 1000 }], status: 'rejected', code: 'damaged_stock', reason: 'found damaged' },
  ],
  timeline: [
    { at: '2024-03-02T12:04:10.000Z', what: 'created' },
    { at: '2024-03-02T12:04:10.000Z', what: 'sourced', detail: 'rule default: 2 shipment(s), 1 line(s) backordered' },
  ],
};

describe('queryOrder', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  /** Responds to every order query with `reply` until the returned function is called. */
  function respondWith(reply: unknown): () => void {
    const subscription = nc.subscribe('sy.q.order.*', {
      callback: (_error, message) => {
        message.respond(encode(reply));
      },
    });
    return () => subscription.unsubscribe();
  }

  it('returns the validated reply', async () => {
    const stop = respondWith(REPLY);
    try {
      const view = await queryOrder(nc, 'K-1');

      expect(view.status).toBe('partially_shipped');
      expect(view.order?.destination.name).toBe('김서연');
      expect(view.allocations.map((allocation) => allocation.status)).toEqual(['shipped', 'requested', 'rejected']);
    } finally {
      stop();
    }
  });

  it('names the subject when no engine subscribes', async () => {
    const querying = queryOrder(nc, 'K-1');

    await expect(querying).rejects.toBeInstanceOf(OrderQueryError);
    await expect(querying).rejects.toThrow('no engine is subscribed to sy.q.order.K-1; start one with "switchyard engine"');
  });

  it('times out when the engine is silent', async () => {
    const subscription = nc.subscribe('sy.q.order.*', { callback: () => undefined });
    try {
      await expect(queryOrder(nc, 'K-1', 200)).rejects.toThrow('the order query on sy.q.order.K-1 timed out after 0.2 s');
    } finally {
      subscription.unsubscribe();
    }
  });

  it('passes on the engine error', async () => {
    const stop = respondWith({ error: 'order K-1 was not found' });
    try {
      await expect(queryOrder(nc, 'K-1')).rejects.toThrow(/^order K-1 was not found$/);
    } finally {
      stop();
    }
  });

  it('rejects an invalid reply', async () => {
    const stop = respondWith({ ...REPLY, status: 'lost' });
    try {
      await expect(queryOrder(nc, 'K-1')).rejects.toThrow(/the reply on sy\.q\.order\.K-1 is invalid: status: .*\(got "lost"\)/);
    } finally {
      stop();
    }
  });

  it('rejects an id that is no subject token', async () => {
    await expect(queryOrder(nc, 'K.*')).rejects.toThrow('order id "K.*" is invalid: invalid order id; expected 1-128 letters, digits, "_" or "-"');
  });
});

describe('formatOrderStatus', () => {
  const view = REPLY as unknown as OrderView;

  it('shows quantities in line units', () => {
    const text = formatOrderStatus(view);

    expect(text).toMatch(/│ 2 +│ RICE-KG +│ kg +│ 1\.5 +│ 0 +│ 0\.5 +│ 0 +│ 0 +│ not_in_stock +│/);
  });

  it('lists allocations with carrier and tracking', () => {
    const text = formatOrderStatus(view);

    expect(text).toMatch(/│ K-1-1-seoul-dc +│ seoul-dc +│ shipped +│ CJ Logistics +│ CJ1 +│ HANJI-A5-03 x2 +│/);
    expect(text).toMatch(/│ K-1-1-busan-dc +│ busan-dc +│ requested +│ +│ +│ RICE-KG x1 +│/);
    expect(text).toContain('damaged_stock: found damaged');
  });

  it('prints the timeline in order', () => {
    const text = formatOrderStatus(view);

    expect(text).toContain('Order K-1: partially_shipped\n');
    expect(text).toContain('Timeline\n  2024-03-02T12:04:10.000Z  created\n  2024-03-02T12:04:10.000Z  sourced  rule default: 2 shipment(s), 1 line(s) backordered\n');
  });
});

describe('selectSlips', () => {
  const view = REPLY as unknown as OrderView;

  it('prints every shipment', () => {
    expect(selectSlips(view).map((slip) => slip.allocationId)).toEqual(['K-1-1-seoul-dc']);
  });

  it('prints one chosen allocation', () => {
    expect(selectSlips(view, 'K-1-1-seoul-dc')).toHaveLength(1);
  });

  it('rejects an unknown allocation', () => {
    expect(() => selectSlips(view, 'K-1-9')).toThrow('allocation K-1-9 was not found on order K-1; its allocations: K-1-1-seoul-dc, K-1-1-busan-dc, K-1-0-incheon');
  });

  it('rejects an allocation that is no shipment', () => {
    expect(() => selectSlips(view, 'K-1-1-busan-dc')).toThrow('allocation K-1-1-busan-dc of order K-1 is requested');
  });

  it('rejects an order without shipments', () => {
    const waiting = { ...view, status: 'created', allocations: view.allocations.slice(1) } as OrderView;

    expect(() => selectSlips(waiting)).toThrow('order K-1 is created and has no shipment yet');
  });

  it('drops yet for a finished order', () => {
    const cancelled = { ...view, status: 'cancelled', allocations: [] } as OrderView;

    expect(() => selectSlips(cancelled)).toThrow('order K-1 is cancelled and has no shipment; a packing slip needs');
  });

  it('rejects an order that was never placed', () => {
    const rejected = { ...view, status: 'rejected', order: undefined, rejection: 'currency: invalid' } as OrderView;

    expect(() => selectSlips(rejected)).toThrow('order K-1 is rejected and has no placed order to print; currency: invalid');
  });
});

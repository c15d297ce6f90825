import { connect, type NatsConnection } from '@nats-io/transport-node';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedAgents, type Simulation } from '../../src/demo/simulatedAgents.ts';
import { FulfillmentNodeSchema } from '../../src/domain/node.ts';
import { Engine } from '../../src/engine/engine.ts';
import { silentLogger } from '../../src/logging.ts';
import { queryOrder, type OrderView } from '../../src/packing/orderQuery.ts';
import { buildPackingSlips } from '../../src/packing/packingSlip.ts';
import { renderPackingSlipsHtml } from '../../src/packing/renderHtml.ts';
import { renderPackingSlipsText } from '../../src/packing/renderText.ts';
import { publishFile, type PublishFileSummary } from '../../src/publish/publishFile.ts';
import { registerNodes } from '../../src/publish/registerNodes.ts';
import { DEFAULT_RULE_SET } from '../../src/sourcing/index.ts';
import { openEngineStore, type EngineStore } from '../../src/storage/engineStore.ts';
import { decode } from '../../src/transport/codec.ts';
import { startNatsServer, type NatsServerHandle } from '../../src/transport/natsServer.ts';
import { FIXTURES_DIR } from '../publish/fixtures.ts';
import { tempDir } from '../support/tempDir.ts';

const SEOUL_ORDER_ID = '9007199254740993';
const BOSTON_ORDER_ID = '5829340987451';

const NODE = FulfillmentNodeSchema.parse({
  nodeId: 'seoul-dc',
  name: 'Seoul DC',
  type: 'DC',
  city: 'Seoul',
  country: 'KR',
  lat: 37.5,
  lon: 127.0,
  timeZone: 'Asia/Seoul',
  dailyCapacity: 1_000,
  cutoffLocal: '16:00',
  handlingCostMinor: 500,
});
const STOCK = { 'DRIP-CER-WHT': 10, 'FLT-100': 10, 'BEAN-ETH-250': 10, 'HANJI-A5-03': 10, 'MOKA-6': 10 };

/** Maximum wait for the Seoul order to ship, in ms; generous, because test machines are shared. */
const SHIP_WAIT_MS = 30_000;

/** The Shopify CSV fixture through publisher, engine, node actor and a simulated agent, then its packing slip. */
describe('packing slip end to end', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: EngineStore;
  let engine: Engine | undefined;
  let simulation: Simulation | undefined;
  let summary: PublishFileSummary;
  let view: OrderView;
  const events: { subject: string; payload: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    dir = await tempDir('packing-e2e');
    store = openEngineStore({ path: join(dir.path, 'lmdb') });
    engine = await Engine.start({ nc, store, rules: DEFAULT_RULE_SET, logger: silentLogger() });
    nc.subscribe('sy.evt.order.>', {
      callback: (_error, message) => {
        events.push({ subject: message.subject, payload: decode(message.data, message.headers) as Record<string, unknown> });
      },
    });

    await registerNodes(nc, [NODE], { [NODE.nodeId]: STOCK }, 'packing-e2e');
    simulation = await startSimulatedAgents({ nc, nodeIds: [NODE.nodeId], logger: silentLogger(), speedup: 10_000_000, rejectRate: 0 });
    summary = await publishFile({ nc, path: join(FIXTURES_DIR, 'shopify_orders_export_3_orders.csv') });
    view = await waitForShipment(nc, SEOUL_ORDER_ID);
  }, 60_000);

  afterAll(async () => {
    await simulation?.stop();
    await engine?.stop();
    await store?.close();
    await nc?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('publishes the whole fixture', () => {
    expect([summary.ordersPublished, summary.cancelsPublished, summary.rejections.length]).toEqual([3, 1, 0]);
  });

  it('ships the Seoul order', () => {
    expect(view.allocations.map((allocation) => [allocation.nodeId, allocation.status])).toContainEqual(['seoul-dc', expect.stringMatching(/^(shipped|delivered)$/)]);
    expect(view.order?.orderId).toBe(SEOUL_ORDER_ID);
    expect(view.status).toMatch(/^(shipped|delivered)$/);
  });

  it('prints Hangul and accents unchanged', () => {
    const order = view.order;
    if (order === undefined) throw new Error(`order ${SEOUL_ORDER_ID} has no placed order in the query reply`);
    const slips = buildPackingSlips(order, view.allocations);
    const outputs = [renderPackingSlipsText(slips), renderPackingSlipsHtml(slips)];

    for (const output of outputs) {
      const bytes = Buffer.from(output, 'utf8');
      for (const value of ['김서연', 'Café Ñandú Korea', '테헤란로 152', '강남파이낸스센터 Nº 1204', '한지 노트북 A5 – Édition Nº 3', SEOUL_ORDER_ID]) {
        expect(bytes.includes(Buffer.from(value, 'utf8')), `missing ${value}`).toBe(true);
      }
    }
  });

  it('prints carrier and tracking', () => {
    const order = view.order;
    if (order === undefined) throw new Error(`order ${SEOUL_ORDER_ID} has no placed order in the query reply`);
    const [slip] = buildPackingSlips(order, view.allocations);

    expect(slip?.carrier).toBe('DHL Express');
    expect(slip?.trackingNumber).toMatch(/^SY\d{10}KR$/);
  });

  it('keeps 64-bit ids exact in events', () => {
    const seoulEvents = events.filter((event) => event.subject.startsWith(`sy.evt.order.${SEOUL_ORDER_ID}.`));
    const bostonEvents = events.filter((event) => event.subject.startsWith(`sy.evt.order.${BOSTON_ORDER_ID}.`));

    expect(seoulEvents.map((event) => event.subject)).toContain(`sy.evt.order.${SEOUL_ORDER_ID}.shipment.shipped`);
    expect(bostonEvents.length).toBeGreaterThan(0);
    for (const event of [...seoulEvents, ...bostonEvents]) {
      expect(typeof event.payload.orderId, event.subject).toBe('string');
      expect(event.subject, event.subject).toContain(`.${String(event.payload.orderId)}.`);
    }
  });
});

/** Polls the order query until one allocation of the order has shipped, or fails after `SHIP_WAIT_MS`. */
async function waitForShipment(nc: NatsConnection, orderId: string): Promise<OrderView> {
  const deadline = Date.now() + SHIP_WAIT_MS;
  let last: OrderView | undefined;
  while (Date.now() < deadline) {
    try {
      last = await queryOrder(nc, orderId);
      if (last.allocations.some((allocation) => allocation.status === 'shipped' || allocation.status === 'delivered')) return last;
    } catch {
      // The order is not known until the engine has applied its place command.
    }
    await sleep(100);
  }
  throw new Error(`order ${orderId} did not ship within ${SHIP_WAIT_MS} ms; last reply: ${JSON.stringify(last)}`);
}

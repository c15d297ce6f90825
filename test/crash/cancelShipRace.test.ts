import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NodeAgent } from '../../src/actors/nodeAgent.ts';
import type { OrderContext } from '../../src/machines/orderState.ts';
import { silentLogger } from '../../src/logging.ts';
import { registerNodes } from '../../src/publish/registerNodes.ts';
import { openEngineStore } from '../../src/storage/engineStore.ts';
import { encode } from '../../src/transport/codec.ts';
import { connectNats } from '../../src/transport/connection.ts';
import { MESSAGE_VERSION } from '../../src/transport/messages.ts';
import { startNatsServer, type NatsServerHandle } from '../../src/transport/natsServer.ts';
import { ensureStreams } from '../../src/transport/streams.ts';
import { COMMAND_STREAM, subjects } from '../../src/transport/subjects.ts';
import { tempDir } from '../support/tempDir.ts';
import { leedsNode } from './support/leedsNode.ts';
import { waitUntilAcked } from './support/consumerProgress.ts';
import { spawnEngine, type EngineProcess } from './support/engineProcess.ts';

const NODE = leedsNode('race-dc', 'Race DC');
const SKU = 'RACE-A';
const OPENING_STOCK = 10;
const ORDERED = 2;
const ORDER_ID = 'race-order-1';

/**
 * A whole-order cancel and the agent's `shipped` report for the packed allocation, both in the
 * command stream before the engine applies either (the engine is stopped while they are
 * published, as after a crash). Either outcome is consistent: the cancel wins and the stock stays,
 * or the shipment wins and the order counts the units as shipped. The order and the node must agree.
 */
describe('cancel racing shipment', () => {
  let server: NatsServerHandle;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let nc: NatsConnection;
  const engines: EngineProcess[] = [];
  let agent: NodeAgent | undefined;
  let stock: { onHand: number; reserved: number } | undefined;
  let context: OrderContext | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    dir = await tempDir('crash-cancel-race');
    nc = await connectNats({ url: server.url, name: 'crash-cancel-race', logger: silentLogger() });
    const jsm = await ensureStreams(nc);
    const js = jetstream(nc);
    const settle = async (): Promise<void> => {
      // The engine's own outbox adds commands (release, shipment progress): wait until none is new.
      for (let round = 0; round < 5; round++) {
        const seq = (await jsm.streams.info(COMMAND_STREAM)).state.last_seq;
        await waitUntilAcked(nc, seq);
        await sleep(200);
        if ((await jsm.streams.info(COMMAND_STREAM)).state.last_seq === seq) return;
      }
    };

    engines.push(spawnEngine({ natsUrl: server.url, dataDir: dir.path }));
    await engines[0]?.consuming;
    await registerNodes(nc, [NODE], { [NODE.nodeId]: { [SKU]: OPENING_STOCK } }, 'race');
    const allocations: string[] = [];
    agent = await NodeAgent.start({ nc, nodeId: NODE.nodeId, logger: silentLogger(), heartbeatMs: 0, onWork: (work) => allocations.push(work.allocationId) });
    const order = {
      orderId: ORDER_ID,
      placedAt: '2024-06-11T08:00:00Z',
      currency: 'GBP',
      destination: { city: 'London', country: 'GB', lat: 51.5, lon: -0.12 },
      lines: [{ lineId: 'L1', sku: SKU, quantity: ORDERED, unitPriceMinor: 500 }],
    };
    await js.publish(subjects.orderCommand(ORDER_ID, 'place'), encode({ type: 'order.place', v: MESSAGE_VERSION, key: `place:${ORDER_ID}`, order }), { msgID: `place:${ORDER_ID}` });
    const deadline = performance.now() + 30_000;
    while (allocations.length === 0 && performance.now() < deadline) await sleep(50);
    const allocationId = allocations[0];
    if (allocationId === undefined) throw new Error(`no work reached node ${NODE.nodeId} within 30 s`);
    await agent.picked(allocationId);
    await agent.packed(allocationId);
    await settle();

    await engines[0]?.stop();
    const cancel = { type: 'order.cancel', v: MESSAGE_VERSION, key: `cancel:${ORDER_ID}`, orderId: ORDER_ID, reason: 'customer cancelled the order' };
    await js.publish(subjects.orderCommand(ORDER_ID, 'cancel'), encode(cancel), { msgID: cancel.key });
    await agent.shipped(allocationId, { carrier: 'Royal Mail', trackingNumber: 'SY0000000002GB' });
    engines.push(spawnEngine({ natsUrl: server.url, dataDir: dir.path }));
    await engines[1]?.consuming;
    await settle();

    await engines[1]?.stop();
    const store = openEngineStore({ path: join(dir.path, 'lmdb') });
    try {
      stock = store.inventory.get([NODE.nodeId, SKU]);
      context = (store.orders.get(ORDER_ID)?.snapshot as { context: OrderContext } | undefined)?.context;
    } finally {
      await store.close();
    }
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    for (const engine of engines) await engine.kill();
    await nc?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('accounts for every ordered unit', () => {
    const line = context?.lines[0];
    expect(line?.ordered).toBe(ORDERED);
    expect((line?.shipped ?? 0) + (line?.cancelled ?? 0) + (line?.backordered ?? 0)).toBe(ORDERED);
  });

  it('takes off the shelf what the order shipped', () => {
    expect(stock?.onHand).toBe(OPENING_STOCK - (context?.lines[0]?.shipped ?? 0));
  });

  it('holds no stock for the order', () => {
    expect(stock?.reserved).toBe(0);
  });
});


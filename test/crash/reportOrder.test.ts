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

const NODE = leedsNode('late-dc', 'Late report DC');
const SKU = 'LATE-A';
const OPENING_STOCK = 10;
const ORDERED = 2;
const ORDER_ID = 'late-order-1';

/**
 * An agent's `delivered` report applied before its `shipped` report. After a SIGKILL, JetStream
 * redelivers the killed engine's unacknowledged batch only after the consumer's ack wait, while
 * newer reports reach the restarted engine at once. So a `shipped` report in that batch arrives
 * after the `delivered` report that the agent sent later. The crash test hits this order at
 * random, and this test sends it on purpose.
 */
describe('delivered report before shipped', () => {
  let server: NatsServerHandle;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let nc: NatsConnection;
  let engine: EngineProcess | undefined;
  let agent: NodeAgent | undefined;
  let stock: { onHand: number; reserved: number } | undefined;
  let context: OrderContext | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    dir = await tempDir('crash-late-report');
    nc = await connectNats({ url: server.url, name: 'crash-late-report', logger: silentLogger() });
    const jsm = await ensureStreams(nc);
    engine = spawnEngine({ natsUrl: server.url, dataDir: dir.path });
    await engine.consuming;
    await registerNodes(nc, [NODE], { [NODE.nodeId]: { [SKU]: OPENING_STOCK } }, 'late');

    const allocations: string[] = [];
    agent = await NodeAgent.start({ nc, nodeId: NODE.nodeId, logger: silentLogger(), heartbeatMs: 0, onWork: (work) => allocations.push(work.allocationId) });
    const order = {
      orderId: ORDER_ID,
      placedAt: '2024-06-11T08:00:00Z',
      currency: 'GBP',
      destination: { city: 'London', country: 'GB', lat: 51.5, lon: -0.12 },
      lines: [{ lineId: 'L1', sku: SKU, quantity: ORDERED, unitPriceMinor: 500 }],
    };
    await jetstream(nc).publish(subjects.orderCommand(ORDER_ID, 'place'), encode({ type: 'order.place', v: MESSAGE_VERSION, key: `place:${ORDER_ID}`, order }), { msgID: `place:${ORDER_ID}` });
    const deadline = performance.now() + 30_000;
    while (allocations.length === 0 && performance.now() < deadline) await sleep(50);
    const allocationId = allocations[0];
    if (allocationId === undefined) throw new Error(`no work reached node ${NODE.nodeId} within 30 s`);

    await agent.picked(allocationId);
    await agent.packed(allocationId);
    await agent.delivered(allocationId);
    await waitUntilAcked(nc, (await jsm.streams.info(COMMAND_STREAM)).state.last_seq);
    await agent.shipped(allocationId, { carrier: 'Royal Mail', trackingNumber: 'SY0000000001GB' });
    await waitUntilAcked(nc, (await jsm.streams.info(COMMAND_STREAM)).state.last_seq);

    await engine.stop();
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
    await engine?.kill();
    await nc?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('ends the order delivered', () => {
    expect(context?.status).toBe('delivered');
    expect(context?.lines[0]).toMatchObject({ ordered: ORDERED, shipped: ORDERED, delivered: ORDERED });
  });

  it('takes the shipped units off the shelf', () => {
    expect(stock).toEqual({ onHand: OPENING_STOCK - ORDERED, reserved: 0 });
  });
});


import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mulberry32 } from '../../src/data/prng.ts';
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

const NODE = leedsNode('finish-dc', 'Finish DC');
const SKU = 'FINISH-A';
/** Orders that each get a cancel and, a moment later, a hold. */
const PAIRS = 200;

/**
 * A command for an order that the previous batch finished. The engine stops a finished order's
 * actor when it writes the snapshot, and applies the next batch while LMDB may still be
 * committing that write. Each of 200 open orders gets a whole-order cancel and, 0 to 3 ms later,
 * a hold, so that many holds land in the batch right after their cancel. Every hold must find
 * its order cancelled and change nothing.
 */
describe('command after a finished order', () => {
  let server: NatsServerHandle;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let nc: NatsConnection;
  const engines: EngineProcess[] = [];
  const contexts = new Map<string, OrderContext | undefined>();
  const orderIds = Array.from({ length: PAIRS }, (_, index) => `finish-order-${index}`);

  beforeAll(async () => {
    server = await startNatsServer();
    dir = await tempDir('crash-finished-order');
    nc = await connectNats({ url: server.url, name: 'crash-finished-order', logger: silentLogger() });
    const jsm = await ensureStreams(nc);
    const js = jetstream(nc);
    const settle = async (): Promise<void> => {
      for (let round = 0; round < 3; round++) await waitUntilAcked(nc, (await jsm.streams.info(COMMAND_STREAM)).state.last_seq);
    };

    engines.push(spawnEngine({ natsUrl: server.url, dataDir: dir.path }));
    await engines[0]?.consuming;
    await registerNodes(nc, [NODE], { [NODE.nodeId]: { [SKU]: PAIRS } }, 'finish');
    for (const orderId of orderIds) {
      const order = {
        orderId,
        placedAt: '2024-06-11T08:00:00Z',
        currency: 'GBP',
        destination: { city: 'London', country: 'GB', lat: 51.5, lon: -0.12 },
        lines: [{ lineId: 'L1', sku: SKU, quantity: 1, unitPriceMinor: 500 }],
      };
      await js.publish(subjects.orderCommand(orderId, 'place'), encode({ type: 'order.place', v: MESSAGE_VERSION, key: `place:${orderId}`, order }), { msgID: `place:${orderId}` });
    }
    await settle();

    const random = mulberry32(11);
    const published: Promise<unknown>[] = [];
    for (const orderId of orderIds) {
      const cancel = { type: 'order.cancel', v: MESSAGE_VERSION, key: `cancel:${orderId}`, orderId, reason: 'customer cancelled the order' };
      const hold = { type: 'order.hold', v: MESSAGE_VERSION, key: `hold:${orderId}`, orderId, reason: 'payment review' };
      published.push(js.publish(subjects.orderCommand(orderId, 'cancel'), encode(cancel), { msgID: cancel.key }));
      await sleep(Math.floor(random() * 4));
      published.push(js.publish(subjects.orderCommand(orderId, 'hold'), encode(hold), { msgID: hold.key }));
    }
    await Promise.all(published);
    await settle();
    await engines[0]?.stop();

    const store = openEngineStore({ path: join(dir.path, 'lmdb') });
    try {
      for (const orderId of orderIds) contexts.set(orderId, (store.orders.get(orderId)?.snapshot as { context: OrderContext } | undefined)?.context);
    } finally {
      await store.close();
    }
  }, 120_000);

  afterAll(async () => {
    for (const engine of engines) await engine.kill();
    await nc?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('keeps every order cancelled', () => {
    const notCancelled = orderIds.filter((orderId) => contexts.get(orderId)?.status !== 'cancelled').map((orderId) => `${orderId}: ${contexts.get(orderId)?.status}`);
    expect(notCancelled).toEqual([]);
  });

  it('applies no hold', () => {
    const held = orderIds.filter((orderId) => contexts.get(orderId)?.holdReason !== undefined);
    expect(held).toEqual([]);
  });

  it('keeps every cancelled quantity', () => {
    const changed = orderIds.filter((orderId) => contexts.get(orderId)?.lines[0]?.cancelled !== 1);
    expect(changed).toEqual([]);
  });
});

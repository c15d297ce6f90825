import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { join } from 'node:path';
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
import { readEventStream, type EventStreamContents } from './support/eventStream.ts';

const NODE = leedsNode('reorder-dc', 'Reorder DC');
const SKU = 'REORDER-A';
const ORDER_ID = 'reorder-order-1';

/**
 * A cancel published after its order's place command, where the place was delivered to an engine
 * that died before acknowledging it. JetStream redelivers the place only after the consumer's ack
 * wait, so the restarted engine receives the cancel first. Here the test itself takes the place
 * from the engine's durable consumer and leaves it unacknowledged, which is what a killed engine
 * does. The customer's cancel must still take effect.
 */
describe('cancel before a redelivered place', () => {
  let server: NatsServerHandle;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let nc: NatsConnection;
  const engines: EngineProcess[] = [];
  let stream: EventStreamContents;
  let context: OrderContext | undefined;
  let taken: JsMsg | null = null;

  beforeAll(async () => {
    server = await startNatsServer();
    dir = await tempDir('crash-reordered-cancel');
    nc = await connectNats({ url: server.url, name: 'crash-reordered-cancel', logger: silentLogger() });
    const jsm = await ensureStreams(nc);
    const js = jetstream(nc);

    engines.push(spawnEngine({ natsUrl: server.url, dataDir: dir.path }));
    await engines[0]?.consuming;
    await registerNodes(nc, [NODE], { [NODE.nodeId]: { [SKU]: 10 } }, 'reorder');
    await waitUntilAcked(nc, (await jsm.streams.info(COMMAND_STREAM)).state.last_seq);
    await engines[0]?.stop();

    const order = {
      orderId: ORDER_ID,
      placedAt: '2024-06-11T08:00:00Z',
      currency: 'GBP',
      destination: { city: 'London', country: 'GB', lat: 51.5, lon: -0.12 },
      lines: [{ lineId: 'L1', sku: SKU, quantity: 2, unitPriceMinor: 500 }],
    };
    await js.publish(subjects.orderCommand(ORDER_ID, 'place'), encode({ type: 'order.place', v: MESSAGE_VERSION, key: `place:${ORDER_ID}`, order }), { msgID: `place:${ORDER_ID}` });
    const consumer = await js.consumers.get(COMMAND_STREAM, 'engine');
    taken = await consumer.next({ expires: 5_000 });
    const cancel = { type: 'order.cancel', v: MESSAGE_VERSION, key: `cancel:${ORDER_ID}`, orderId: ORDER_ID, reason: 'customer cancelled the order' };
    await js.publish(subjects.orderCommand(ORDER_ID, 'cancel'), encode(cancel), { msgID: cancel.key });

    engines.push(spawnEngine({ natsUrl: server.url, dataDir: dir.path }));
    await engines[1]?.consuming;
    await waitUntilAcked(nc, (await jsm.streams.info(COMMAND_STREAM)).state.last_seq, 90_000);
    await waitUntilAcked(nc, (await jsm.streams.info(COMMAND_STREAM)).state.last_seq, 90_000);
    await engines[1]?.stop();

    stream = await readEventStream(nc);
    const store = openEngineStore({ path: join(dir.path, 'lmdb') });
    try {
      context = (store.orders.get(ORDER_ID)?.snapshot as { context: OrderContext } | undefined)?.context;
    } finally {
      await store.close();
    }
  }, 180_000);

  afterAll(async () => {
    for (const engine of engines) await engine.kill();
    await nc?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('takes the place from the engine consumer', () => {
    expect(taken?.subject).toBe(subjects.orderCommand(ORDER_ID, 'place'));
  });

  it('places the order after redelivery', () => {
    expect(context?.lines[0]?.ordered).toBe(2);
  });

  it('cancels the order', () => {
    expect(context?.status).toBe('cancelled');
    expect(context?.lines[0]?.cancelled).toBe(2);
  });

  it('rejects no command as unknown', () => {
    expect(stream.unknownTargets).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { join } from 'node:path';
import type { OrderContext } from '../../src/machines/orderState.ts';
import { silentLogger } from '../../src/logging.ts';
import { registerNodes } from '../../src/publish/registerNodes.ts';
import { openEngineStore, type AppliedCommand } from '../../src/storage/engineStore.ts';
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
import { MessageAudit } from './support/messageAudit.ts';

const NODE = leedsNode('twice-dc', 'Twice DC');
const SKU = 'TWICE-A';
const OPENING_STOCK = 10;
const RECEIPT = 5;
const ORDER_ID = 'twice-order-1';
const receiptKey = 'twice-dc:inventory:receipt-1';
const placeKey = `place:${ORDER_ID}`;

/**
 * Two copies of one command in the same batch. JetStream delivers a command again when its ack
 * wait passes before the engine acknowledged it: after a server restart, or when a batch takes
 * longer than the ack wait. Here each copy has its own message id and they wait in the stream
 * while the engine is stopped, so its first pull takes both. Each command must have its effect once.
 */
describe('same key twice in one batch', () => {
  let server: NatsServerHandle;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let nc: NatsConnection;
  let audit: MessageAudit;
  const engines: EngineProcess[] = [];
  let stream: EventStreamContents;
  let stock: { onHand: number; reserved: number } | undefined;
  let context: OrderContext | undefined;
  let placeRecord: AppliedCommand | undefined;

  beforeAll(async () => {
    server = await startNatsServer();
    dir = await tempDir('crash-batch-duplicate');
    nc = await connectNats({ url: server.url, name: 'crash-batch-duplicate', logger: silentLogger() });
    const jsm = await ensureStreams(nc);
    audit = new MessageAudit(nc);
    const js = jetstream(nc);

    engines.push(spawnEngine({ natsUrl: server.url, dataDir: dir.path }));
    await engines[0]?.consuming;
    await registerNodes(nc, [NODE], { [NODE.nodeId]: { [SKU]: OPENING_STOCK } }, 'twice');
    await waitUntilAcked(nc, (await jsm.streams.info(COMMAND_STREAM)).state.last_seq);
    await engines[0]?.stop();

    const receipt = { type: 'node.inventory', v: MESSAGE_VERSION, key: receiptKey, nodeId: NODE.nodeId, kind: 'receipt', sku: SKU, quantity: RECEIPT, at: '2024-06-11T09:00:00Z' };
    const order = {
      orderId: ORDER_ID,
      placedAt: '2024-06-11T08:00:00Z',
      currency: 'GBP',
      destination: { city: 'London', country: 'GB', lat: 51.5, lon: -0.12 },
      lines: [{ lineId: 'L1', sku: SKU, quantity: 2, unitPriceMinor: 500 }],
    };
    const place = { type: 'order.place', v: MESSAGE_VERSION, key: placeKey, order };
    for (const copy of ['first', 'second']) {
      await js.publish(subjects.nodeCommand(NODE.nodeId, 'inventory'), encode(receipt), { msgID: `${receiptKey}#${copy}` });
      await js.publish(subjects.orderCommand(ORDER_ID, 'place'), encode(place), { msgID: `${placeKey}#${copy}` });
    }

    engines.push(spawnEngine({ natsUrl: server.url, dataDir: dir.path }));
    await engines[1]?.consuming;
    await waitUntilAcked(nc, (await jsm.streams.info(COMMAND_STREAM)).state.last_seq);
    await engines[1]?.stop();

    stream = await readEventStream(nc);
    const store = openEngineStore({ path: join(dir.path, 'lmdb') });
    try {
      stock = store.inventory.get([NODE.nodeId, SKU]);
      context = (store.orders.get(ORDER_ID)?.snapshot as { context: OrderContext } | undefined)?.context;
      placeRecord = store.applied.get(`order.place:${placeKey}`);
    } finally {
      await store.close();
    }
  }, 120_000);

  afterAll(async () => {
    audit?.stop();
    for (const engine of engines) await engine.kill();
    await nc?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('raises stock once', () => {
    expect(stock?.onHand).toBe(OPENING_STOCK + RECEIPT);
  });

  it('reserves the order once', () => {
    expect(context?.lines[0]?.ordered).toBe(2);
    expect(stock?.reserved).toBe(2);
  });

  it('keeps the first outbox as applied', () => {
    const subjectsOfRecord = (placeRecord?.outbox ?? []).map((entry) => entry.subject);
    expect(subjectsOfRecord).toContain(subjects.orderEvent(ORDER_ID, 'created'));
  });

  it('publishes each message id with one content', () => {
    expect(audit.conflicts).toEqual([]);
    expect(stream.conflicts).toEqual([]);
  });
});

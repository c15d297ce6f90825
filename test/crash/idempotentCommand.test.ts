import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
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
import { spawnEngine, type EngineProcess, type ProcessExit } from './support/engineProcess.ts';
import { readEventStream, type EventStreamContents } from './support/eventStream.ts';
import { MessageAudit } from './support/messageAudit.ts';

const NODE = leedsNode('idem-dc', 'Idempotency DC');
const STOCKED_SKU = 'IDEM-A';
const OPENING_STOCK = 10;
const RECEIPT = 5;
/** A SKU no node carries, so the order's line stays backordered and open to cancels. */
const MISSING_SKU = 'IDEM-Z';
const ORDER_ID = 'idem-order-1';

const receiptKey = 'idem-dc:inventory:receipt-1';
const cancelKey = 'cancel-line:idem-order-1';
const receipt = { type: 'node.inventory', v: MESSAGE_VERSION, key: receiptKey, nodeId: NODE.nodeId, kind: 'receipt', sku: STOCKED_SKU, quantity: RECEIPT, at: '2024-06-11T09:00:00Z' };
const cancel = { type: 'order.cancel', v: MESSAGE_VERSION, key: cancelKey, orderId: ORDER_ID, reason: 'customer removed one unit', lines: [{ sku: MISSING_SKU, quantity: 1 }] };

/** One publish of a command and the stream's acknowledgement. */
interface Publish {
  label: string;
  seq: number;
  duplicate: boolean;
}

/**
 * A cancel and a stock receipt, each published three times. The first publish comes before a
 * SIGKILL of the engine. After the restart, one copy has the same `Nats-Msg-Id`, so the stream
 * drops it. The last copy has a new message id but the same idempotency key, so only the
 * engine's applied-key record can stop it.
 */
describe('command repeated across a crash', () => {
  let server: NatsServerHandle;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let nc: NatsConnection;
  let audit: MessageAudit;
  const engines: EngineProcess[] = [];
  const publishes: Publish[] = [];
  let finalExit: ProcessExit;
  let stream: EventStreamContents;
  let stock: { onHand: number; reserved: number } | undefined;
  let line: OrderContext['lines'][number] | undefined;
  let appliedKeys: string[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    dir = await tempDir('crash-idempotent');
    nc = await connectNats({ url: server.url, name: 'crash-idempotent', logger: silentLogger() });
    const jsm = await ensureStreams(nc);
    audit = new MessageAudit(nc);
    const js = jetstream(nc);

    engines.push(spawnEngine({ natsUrl: server.url, dataDir: dir.path }));
    await engines[0]?.consuming;
    await registerNodes(nc, [NODE], { [NODE.nodeId]: { [STOCKED_SKU]: OPENING_STOCK } }, 'idem');
    const order = {
      orderId: ORDER_ID,
      placedAt: '2024-06-11T08:00:00Z',
      currency: 'GBP',
      destination: { city: 'London', country: 'GB', lat: 51.5, lon: -0.12 },
      lines: [{ lineId: 'L1', sku: MISSING_SKU, quantity: 3, unitPriceMinor: 500 }],
    };
    await publish(js, 'place', subjects.orderCommand(ORDER_ID, 'place'), { type: 'order.place', v: MESSAGE_VERSION, key: `place:${ORDER_ID}`, order }, `place:${ORDER_ID}`);

    await publish(js, 'receipt', subjects.nodeCommand(NODE.nodeId, 'inventory'), receipt, receiptKey);
    await publish(js, 'cancel', subjects.orderCommand(ORDER_ID, 'cancel'), cancel, cancelKey);
    await waitUntilAcked(nc, lastSeq());

    await engines[0]?.kill();
    engines.push(spawnEngine({ natsUrl: server.url, dataDir: dir.path }));
    await engines[1]?.consuming;

    await publish(js, 'receipt, same message id', subjects.nodeCommand(NODE.nodeId, 'inventory'), receipt, receiptKey);
    await publish(js, 'cancel, same message id', subjects.orderCommand(ORDER_ID, 'cancel'), cancel, cancelKey);
    await publish(js, 'receipt, new message id', subjects.nodeCommand(NODE.nodeId, 'inventory'), receipt, `${receiptKey}#again`);
    await publish(js, 'cancel, new message id', subjects.orderCommand(ORDER_ID, 'cancel'), cancel, `${cancelKey}#again`);
    const info = await jsm.streams.info(COMMAND_STREAM);
    await waitUntilAcked(nc, info.state.last_seq);

    finalExit = await (engines[1] as EngineProcess).stop();
    stream = await readEventStream(nc);
    const store = openEngineStore({ path: join(dir.path, 'lmdb') });
    try {
      stock = store.inventory.get([NODE.nodeId, STOCKED_SKU]);
      line = (store.orders.get(ORDER_ID)?.snapshot as { context: OrderContext } | undefined)?.context.lines[0];
      appliedKeys = [...store.applied.getKeys()].filter((key) => key.includes(receiptKey) || key.includes(cancelKey));
    } finally {
      await store.close();
    }
  }, 180_000);

  afterAll(async () => {
    audit?.stop();
    for (const engine of engines) await engine.kill();
    await nc?.close();
    await server?.stop();
    await dir?.remove();
  });

  async function publish(js: JetStreamClient, label: string, subject: string, message: Record<string, unknown>, msgId: string): Promise<void> {
    const ack = await js.publish(subject, encode(message), { msgID: msgId });
    publishes.push({ label, seq: ack.seq, duplicate: ack.duplicate });
  }

  function lastSeq(): number {
    return Math.max(...publishes.map((entry) => entry.seq));
  }

  it('lets the stream drop the same message id', () => {
    expect(publishes.find((entry) => entry.label === 'receipt, same message id')?.duplicate).toBe(true);
    expect(publishes.find((entry) => entry.label === 'cancel, same message id')?.duplicate).toBe(true);
  });

  it('stores the new message id', () => {
    expect(publishes.find((entry) => entry.label === 'receipt, new message id')?.duplicate).toBe(false);
    expect(publishes.find((entry) => entry.label === 'cancel, new message id')?.duplicate).toBe(false);
  });

  it('raises stock once', () => {
    expect(stock).toEqual({ onHand: OPENING_STOCK + RECEIPT, reserved: 0 });
  });

  it('cancels one unit once', () => {
    expect(line).toMatchObject({ ordered: 3, cancelled: 1, backordered: 2, shipped: 0 });
  });

  it('records each key as applied once', () => {
    expect(appliedKeys.sort()).toEqual([`node.inventory:${receiptKey}`, `order.cancel:${cancelKey}`]);
  });

  it('publishes the receipt availability once', () => {
    const availability = [...audit.eventIds].filter((msgId) => msgId.startsWith(`node.inventory:${receiptKey}/`));
    expect(availability).toHaveLength(1);
    expect(audit.conflicts).toEqual([]);
    expect(stream.conflicts).toEqual([]);
    expect(stream.storedTwice).toBe(0);
  });

  it('stops the restarted engine cleanly', () => {
    expect(finalExit).toEqual({ code: 0, signal: null });
  });
});

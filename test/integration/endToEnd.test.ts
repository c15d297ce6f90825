import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { runDemo, type DemoResult } from '../../src/demo/runDemo.ts';
import { silentLogger } from '../../src/logging.ts';
import { DEFAULT_RULE_SET } from '../../src/sourcing/index.ts';
import { openEngineStore } from '../../src/storage/engineStore.ts';
import type { OrderContext } from '../../src/machines/orderState.ts';
import { TERMINAL_STATUSES, WAITING_STATUSES } from '../../src/domain/status.ts';
import { decode } from '../../src/transport/codec.ts';
import { startNatsServer, type NatsServerHandle } from '../../src/transport/natsServer.ts';
import { tempDir } from '../support/tempDir.ts';

/** One real trading day through the whole flow: publisher, engine, node actors, agents. */
describe('one real day end to end', () => {
  let server: NatsServerHandle;
  let watcher: NatsConnection;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let result: DemoResult;
  const negativeStock: string[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    dir = await tempDir('e2e');
    watcher = await connect({ servers: server.url });
    watcher.subscribe('sy.evt.node.*.availability', {
      callback: (_error, message) => {
        const event = decode(message.data) as { nodeId: string; changes: { sku: string; onHand: number; reserved: number; available: number }[] };
        for (const change of event.changes) {
          if (change.onHand < 0 || change.reserved < 0 || change.available < 0) negativeStock.push(`${event.nodeId}/${change.sku}: ${JSON.stringify(change)}`);
        }
      },
    });
    result = await runDemo({
      fromDate: '2010-12-01',
      toDate: '2010-12-01',
      speedup: 200_000,
      seed: 7,
      rejectRate: 0.05,
      replenishEveryDays: 0,
      natsUrl: server.url,
      dataDir: dir.path,
      rules: DEFAULT_RULE_SET,
      settleTimeoutSeconds: 240,
      progress: false,
      logger: silentLogger(),
    });
  }, 300_000);

  afterAll(async () => {
    await watcher?.close();
    await server?.stop();
    await dir?.remove();
  });

  it('settles every order', () => {
    expect(result.settled).toBe(true);
    expect(result.summary.ordersReceived).toBeGreaterThan(100);
    expect(result.summary.checks.ordersNotSettled).toBe(0);
  });

  it('ends every order in one terminal or waiting status', async () => {
    const store = openEngineStore({ path: join(dir.path, 'lmdb') });
    try {
      const unsettled: string[] = [];
      for (const { key, value } of store.orders.getRange()) {
        const context = (value.snapshot as { context: OrderContext }).context;
        if (!TERMINAL_STATUSES.has(context.status) && !WAITING_STATUSES.has(context.status)) unsettled.push(`${key}: ${context.status}`);
      }
      expect(unsettled).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('conserves quantities on every line', async () => {
    const store = openEngineStore({ path: join(dir.path, 'lmdb') });
    try {
      const broken: string[] = [];
      for (const { key, value } of store.orders.getRange()) {
        const context = (value.snapshot as { context: OrderContext }).context;
        for (const line of context.lines) {
          if (line.invalid !== undefined) continue;
          if (line.shipped + line.backordered + line.cancelled !== line.ordered) broken.push(`${key}/${line.lineId}: ${JSON.stringify(line)}`);
        }
      }
      expect(broken).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('never drives stock below zero', async () => {
    expect(negativeStock).toEqual([]);
    const store = openEngineStore({ path: join(dir.path, 'lmdb') });
    try {
      for (const { key, value } of store.inventory.getRange()) {
        expect(value.onHand, String(key)).toBeGreaterThanOrEqual(0);
        expect(value.reserved, String(key)).toBeGreaterThanOrEqual(0);
        expect(value.reserved, String(key)).toBeLessThanOrEqual(value.onHand);
      }
    } finally {
      await store.close();
    }
  });

  it('gives every rejection a reason', async () => {
    const store = openEngineStore({ path: join(dir.path, 'lmdb') });
    try {
      for (const { key, value } of store.orders.getRange()) {
        const context = (value.snapshot as { context: OrderContext }).context;
        if (context.status === 'rejected') expect(context.rejection, String(key)).toMatch(/\S/);
      }
      for (const reason of Object.keys(result.summary.rejectedByReason)) expect(reason).toMatch(/\S/);
    } finally {
      await store.close();
    }
  });

  it('reroutes work that simulated nodes rejected', () => {
    expect(result.summary.reroutedAllocations).toBeGreaterThan(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeAgent } from '../../src/actors/nodeAgent.ts';
import { silentLogger } from '../../src/logging.ts';
import type { WorkOrder } from '../../src/transport/messages.ts';
import { subjects } from '../../src/transport/subjects.ts';
import { EngineHarness, testNode, testOrder } from '../support/engineHarness.ts';

const ACK_MS = 60_000;

/** Order and node lifecycles through a real nats-server, engine and LMDB store. */
describe('order and node lifecycle', () => {
  const harness = new EngineHarness({ deadlines: { agentAckMs: ACK_MS, backorderMs: 86_400_000 } });

  beforeAll(async () => {
    await harness.start();
    await harness.register(
      [testNode('big'), testNode('race'), testNode('twin'), testNode('part-a'), testNode('part-b'), testNode('dup'), testNode('rej-1'), testNode('rej-2', { lat: 53.4, lon: -2.2 }), testNode('silent'), testNode('backup', { lat: 55.9, lon: -3.2 })],
      {
        big: Object.fromEntries(Array.from({ length: 1_200 }, (_, i) => [`BIG-${i}`, 5])),
        race: { RACE: 1 },
        twin: { TWIN: 3 },
        'part-a': { PX: 100 },
        'part-b': { PY: 100 },
        dup: { DUP: 10 },
        'rej-1': { REJ: 5 },
        'rej-2': { REJ: 5 },
        silent: { SIL: 5 },
        backup: { SIL: 5 },
      },
    );
  }, 60_000);

  afterAll(async () => {
    await harness.stop();
  });

  it('gives the last unit to one of two concurrent orders', async () => {
    await Promise.all([harness.place(testOrder('race-1', [['RACE', 1]])), harness.place(testOrder('race-2', [['RACE', 1]]))]);
    await harness.until(() => ['race-1', 'race-2'].every((id) => ['processing', 'backordered'].includes(harness.order(id)?.status ?? '')), 'both orders decided');
    const statuses = ['race-1', 'race-2'].map((id) => harness.order(id)?.status).sort();
    expect(statuses).toEqual(['backordered', 'processing']);
    expect(harness.stock('race', 'RACE')).toEqual({ onHand: 1, reserved: 1 });
  });

  it('never reserves more than on hand for two lines of one SKU', async () => {
    await harness.place(testOrder('twin-1', [['TWIN', 2], ['TWIN', 2]]));
    const order = await harness.untilStatus('twin-1', 'processing');
    expect(harness.stock('twin', 'TWIN')).toEqual({ onHand: 3, reserved: 3 });
    expect(order.lines.map((line) => line.backordered).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('cancels before allocation without touching stock', async () => {
    await harness.place(testOrder('early-1', [['NOWHERE', 2]]));
    await harness.untilStatus('early-1', 'backordered');
    await harness.command(subjects.orderCommand('early-1', 'cancel'), { type: 'order.cancel', key: 'cancel-early-1', orderId: 'early-1', reason: 'customer changed their mind' });
    await harness.untilStatus('early-1', 'cancelled');
    expect(harness.stock('race', 'NOWHERE')).toBeUndefined();
  });

  it('returns only unshipped stock when cancelled after a partial shipment', async () => {
    await harness.place(testOrder('part-1', [['PX', 2], ['PY', 3]]));
    const order = await harness.untilStatus('part-1', 'processing');
    const shipA = order.allocations.find((a) => a.nodeId === 'part-a');
    expect(shipA).toBeDefined();
    await harness.reportAs('part-a', shipA?.allocationId ?? '', 'shipped');
    await harness.untilStatus('part-1', 'partially_shipped');

    await harness.command(subjects.orderCommand('part-1', 'cancel'), { type: 'order.cancel', key: 'cancel-part-1', orderId: 'part-1', reason: 'customer request' });
    await harness.until(() => harness.stock('part-b', 'PY')?.reserved === 0, 'node B released');
    expect(harness.stock('part-a', 'PX')).toEqual({ onHand: 98, reserved: 0 });
    expect(harness.stock('part-b', 'PY')).toEqual({ onHand: 100, reserved: 0 });
    expect(harness.order('part-1')?.lines.map((l) => [l.shipped, l.cancelled])).toEqual([[2, 0], [0, 3]]);
  });

  it('applies a repeated shipment confirmation once', async () => {
    await harness.place(testOrder('dup-1', [['DUP', 4]]));
    const order = await harness.untilStatus('dup-1', 'processing');
    const allocationId = order.allocations[0]?.allocationId ?? '';
    await harness.reportAs('dup', allocationId, 'shipped', 'first-copy');
    await harness.reportAs('dup', allocationId, 'shipped', 'second-copy');
    await harness.reportAs('dup', allocationId, 'shipped', 'second-copy');
    await harness.untilStatus('dup-1', 'shipped');
    await harness.until(() => harness.engine.metrics.duplicatesSkipped >= 1, 'duplicate seen');
    expect(harness.stock('dup', 'DUP')).toEqual({ onHand: 6, reserved: 0 });
  });

  it('reroutes a rejected line away from the rejecting node', async () => {
    await harness.place(testOrder('rej-x', [['REJ', 2]]));
    const first = await harness.untilStatus('rej-x', 'processing');
    const rejected = first.allocations[0];
    expect(rejected?.nodeId).toBe('rej-1');
    await harness.command(subjects.nodeCommand('rej-1', 'report'), { type: 'node.report', nodeId: 'rej-1', allocationId: rejected?.allocationId, kind: 'rejected', code: 'damaged', reason: 'box crushed', key: 'rej-x-reject', at: new Date().toISOString() });
    await harness.until(() => harness.order('rej-x')?.allocations.some((a) => a.nodeId === 'rej-2' && a.status === 'accepted') === true, 'rerouted to rej-2');
    const after = harness.order('rej-x');
    expect(after?.allocations.filter((a) => a.nodeId === 'rej-1').map((a) => a.status)).toEqual(['rejected']);
    expect(after?.exclusions).toContainEqual({ nodeId: 'rej-1', lineId: 'L1' });
    expect(harness.stock('rej-1', 'REJ')).toEqual({ onHand: 5, reserved: 0 });
  });

  it('reroutes work a node never acknowledges, across a restart', async () => {
    await harness.place(testOrder('sil-1', [['SIL', 1]]));
    const order = await harness.untilStatus('sil-1', 'processing');
    expect(order.allocations[0]?.nodeId).toBe('silent');

    await harness.restart();
    harness.clock += ACK_MS + 1;
    expect(await harness.engine.fireDueTimers()).toBeGreaterThan(0);
    await harness.until(() => harness.order('sil-1')?.allocations.some((a) => a.nodeId === 'backup' && a.status === 'accepted') === true, 'rerouted to backup');
    expect(harness.order('sil-1')?.allocations.find((a) => a.nodeId === 'silent')?.code).toBe('ack_timeout');
    expect(harness.stock('silent', 'SIL')).toEqual({ onHand: 5, reserved: 0 });
  });

  it('sends work to an agent that joins at runtime', async () => {
    const received: WorkOrder[] = [];
    const agent = await NodeAgent.start({ nc: harness.nc, nodeId: 'late', logger: silentLogger(), heartbeatMs: 0, onWork: (work) => received.push(work) });
    try {
      await agent.register(testNode('late'), { LATE: 7 });
      await harness.until(() => harness.engine.nodes.get('late') !== undefined, 'late node registered');
      await harness.place(testOrder('late-1', [['LATE', 2]]));
      await harness.until(() => received.length > 0, 'work received');
      expect(received[0]).toMatchObject({ orderId: 'late-1', nodeId: 'late', lines: [{ sku: 'LATE', quantity: 2 }] });
    } finally {
      await agent.stop();
    }
  });

  it('re-sources a backorder when stock arrives', async () => {
    await harness.place(testOrder('wait-1', [['WAIT', 3]]));
    await harness.untilStatus('wait-1', 'backordered');
    await harness.command(subjects.nodeCommand('dup', 'inventory'), { type: 'node.inventory', nodeId: 'dup', kind: 'receipt', sku: 'WAIT', quantity: 5, key: 'receipt-wait', at: new Date().toISOString() });
    const order = await harness.untilStatus('wait-1', 'processing');
    expect(order.lines[0]).toMatchObject({ backordered: 0 });
    expect(harness.stock('dup', 'WAIT')).toEqual({ onHand: 5, reserved: 3 });
  });

  it('cancels a backorder when its deadline passes', async () => {
    await harness.place(testOrder('late-bo', [['NEVER', 1]]));
    await harness.untilStatus('late-bo', 'backordered');
    harness.clock += 86_400_000 + 1;
    await harness.fireUntil(() => harness.order('late-bo')?.status === 'cancelled', 'order late-bo to be cancelled');
    const order = await harness.untilStatus('late-bo', 'cancelled');
    expect(order.cancelReasons).toContain('backorder deadline passed');
  });

  it('rejects a cancel for a delivered order', async () => {
    await harness.place(testOrder('done-1', [['DUP', 1]]));
    const order = await harness.untilStatus('done-1', 'processing');
    const allocationId = order.allocations[0]?.allocationId ?? '';
    await harness.reportAs('dup', allocationId, 'shipped');
    await harness.reportAs('dup', allocationId, 'delivered');
    await harness.untilStatus('done-1', 'delivered');
    const before = harness.engine.metrics.rejectedCommands.get('order.cancel') ?? 0;
    await harness.command(subjects.orderCommand('done-1', 'cancel'), { type: 'order.cancel', key: 'cancel-done-1', orderId: 'done-1', reason: 'too late' });
    await harness.until(() => (harness.engine.metrics.rejectedCommands.get('order.cancel') ?? 0) > before, 'cancel refused');
    expect(harness.order('done-1')?.status).toBe('delivered');
  });

  it('allocates an order of 1,200 lines', async () => {
    const lines = Array.from({ length: 1_200 }, (_, i): [string, number] => [`BIG-${i}`, 2]);
    await harness.place(testOrder('big-1', lines));
    const order = await harness.untilStatus('big-1', 'processing');
    expect(order.allocations.map((a) => a.nodeId)).toEqual(['big']);
    expect(order.allocations[0]?.lines).toHaveLength(1_200);
    expect(harness.stock('big', 'BIG-1199')).toEqual({ onHand: 5, reserved: 2 });
  });
});

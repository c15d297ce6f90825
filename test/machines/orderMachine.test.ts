import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createOrderMachine } from '../../src/machines/orderMachine.ts';
import type { OrderEffect } from '../../src/machines/orderEffects.ts';
import { makeOrder, tableSourcer } from './fixtures.ts';

const AT = '2010-12-01T09:00:00Z';

function start(stock: Record<string, Record<string, number>>) {
  const source = tableSourcer(stock);
  const actor = createActor(createOrderMachine({ source }), { input: { orderId: 'o1' } });
  const effects: OrderEffect[] = [];
  actor.on('*', (effect) => effects.push(effect));
  actor.start();
  return { actor, effects, source };
}

describe('order machine', () => {
  it('allocates from one node and reaches delivered', () => {
    const { actor, effects } = start({ N1: { A: 5 } });
    actor.send({ type: 'order.placed', order: makeOrder('o1', [['A', 2]]), at: AT });
    expect(actor.getSnapshot().value).toEqual({ active: 'allocating' });
    const reserve = effects.find((e) => e.type === 'reserve');
    expect(reserve).toMatchObject({ nodeId: 'N1', lines: [{ sku: 'A', quantity: 2 }] });
    const allocationId = reserve?.type === 'reserve' ? reserve.allocationId : '';

    actor.send({ type: 'allocation.answered', allocationId, accepted: true, at: AT });
    expect(actor.getSnapshot().context.status).toBe('processing');
    for (const step of ['picked', 'packed', 'shipped'] as const) actor.send({ type: 'shipment.progress', allocationId, step, at: AT });
    expect(actor.getSnapshot().context.status).toBe('shipped');
    actor.send({ type: 'shipment.progress', allocationId, step: 'delivered', at: AT });
    expect(actor.getSnapshot().value).toBe('completed');
    expect(actor.getSnapshot().context.status).toBe('delivered');
  });

  it('rejects an order without valid lines', () => {
    const { actor, effects } = start({ N1: { A: 5 } });
    actor.send({ type: 'order.placed', order: makeOrder('o1', [['A', -3]]), at: AT });
    expect(actor.getSnapshot().value).toBe('rejected');
    expect(actor.getSnapshot().context.rejection).toContain('lines[0].quantity: -3 is invalid');
    expect(effects.some((e) => e.type === 'reserve')).toBe(false);
  });

  it('reroutes a rejected allocation away from the rejecting node', () => {
    const { actor, effects, source } = start({ N1: { A: 5 }, N2: { A: 5 } });
    actor.send({ type: 'order.placed', order: makeOrder('o1', [['A', 2]]), at: AT });
    const first = effects.filter((e) => e.type === 'reserve')[0];
    expect(first).toMatchObject({ nodeId: 'N1' });
    actor.send({ type: 'allocation.answered', allocationId: first?.type === 'reserve' ? first.allocationId : '', accepted: false, code: 'not_in_stock', at: AT });
    const second = effects.filter((e) => e.type === 'reserve')[1];
    expect(second).toMatchObject({ nodeId: 'N2', lines: [{ quantity: 2 }] });
    expect(source.calls[1]).toEqual([{ lineId: 'L1', sku: 'A', quantity: 2 }]);
  });

  it('backorders what no node has', () => {
    const { actor } = start({ N1: { A: 1 } });
    actor.send({ type: 'order.placed', order: makeOrder('o1', [['A', 3]]), at: AT });
    const line = actor.getSnapshot().context.lines[0];
    expect(line?.backordered).toBe(2);
    expect(actor.getSnapshot().context.allocations[0]?.lines[0]?.quantity).toBe(1);
  });

  it('cancels only unshipped quantities after a partial shipment', () => {
    const { actor, effects } = start({ N1: { A: 2 }, N2: { A: 3 } });
    actor.send({ type: 'order.placed', order: makeOrder('o1', [['A', 5]]), at: AT });
    const reserves = effects.filter((e) => e.type === 'reserve');
    for (const r of reserves) if (r.type === 'reserve') actor.send({ type: 'allocation.answered', allocationId: r.allocationId, accepted: true, at: AT });
    const n1 = reserves.find((r) => r.type === 'reserve' && r.nodeId === 'N1');
    actor.send({ type: 'shipment.progress', allocationId: n1?.type === 'reserve' ? n1.allocationId : '', step: 'shipped', at: AT });
    expect(actor.getSnapshot().context.status).toBe('partially_shipped');

    actor.send({ type: 'order.cancel', reason: 'customer request', at: AT });
    const release = effects.filter((e) => e.type === 'release');
    expect(release).toEqual([expect.objectContaining({ nodeId: 'N2', lines: [expect.objectContaining({ quantity: 3 })] })]);
    const line = actor.getSnapshot().context.lines[0];
    expect(line).toMatchObject({ ordered: 5, shipped: 2, cancelled: 3 });
    expect(actor.getSnapshot().context.status).toBe('shipped');
  });

  it('cancel before allocation releases nothing', () => {
    const { actor, effects } = start({});
    actor.send({ type: 'order.placed', order: makeOrder('o1', [['A', 2]]), at: AT });
    expect(actor.getSnapshot().context.status).toBe('backordered');
    actor.send({ type: 'order.cancel', reason: 'customer request', at: AT });
    expect(actor.getSnapshot().value).toBe('cancelled');
    expect(effects.filter((e) => e.type === 'release')).toEqual([]);
  });

  it('refuses to cancel what has shipped', () => {
    const { actor, effects } = start({ N1: { A: 2 } });
    actor.send({ type: 'order.placed', order: makeOrder('o1', [['A', 2]]), at: AT });
    const reserve = effects.find((e) => e.type === 'reserve');
    const allocationId = reserve?.type === 'reserve' ? reserve.allocationId : '';
    actor.send({ type: 'allocation.answered', allocationId, accepted: true, at: AT });
    actor.send({ type: 'shipment.progress', allocationId, step: 'shipped', at: AT });
    actor.send({ type: 'order.cancel', reason: 'too late', at: AT });
    const refusal = effects.find((e) => e.type === 'commandRejected');
    expect(refusal).toMatchObject({ command: 'order.cancel' });
    expect(actor.getSnapshot().context.lines[0]).toMatchObject({ shipped: 2, cancelled: 0 });
  });

  it('refuses to cancel a cancelled order', () => {
    const { actor, effects } = start({});
    actor.send({ type: 'order.placed', order: makeOrder('o1', [['A', 1]]), at: AT });
    actor.send({ type: 'order.cancel', reason: 'customer request', at: AT });
    const before = actor.getSnapshot().context;
    actor.send({ type: 'order.cancel', reason: 'again', at: AT });
    expect(effects.filter((e) => e.type === 'commandRejected')).toEqual([expect.objectContaining({ command: 'order.cancel', state: 'cancelled' })]);
    expect(actor.getSnapshot().context).toEqual(before);
  });

  it('lets a shipment that beat the cancellation win', () => {
    const { actor, effects } = start({ N1: { A: 2 } });
    actor.send({ type: 'order.placed', order: makeOrder('o1', [['A', 2]]), at: AT });
    const reserve = effects.find((e) => e.type === 'reserve');
    const allocationId = reserve?.type === 'reserve' ? reserve.allocationId : '';
    actor.send({ type: 'allocation.answered', allocationId, accepted: true, at: AT });
    actor.send({ type: 'order.cancel', reason: 'customer request', at: AT });
    expect(actor.getSnapshot().value).toBe('cancelled');

    actor.send({ type: 'shipment.progress', allocationId, step: 'shipped', lines: [{ lineId: 'L1', sku: 'A', quantity: 2 }], at: AT });
    expect(actor.getSnapshot().context.lines[0]).toMatchObject({ ordered: 2, shipped: 2, cancelled: 0 });
    expect(actor.getSnapshot().context.status).toBe('shipped');
  });
});

import type { OrderActors } from '../actors/orderActors.ts';
import type { NodeActors } from '../actors/nodeActors.ts';
import type { OrderEffect } from '../machines/orderEffects.ts';
import type { NodeEffect } from '../machines/nodeEffects.ts';
import type { Command, NodeCommand, OrderCommand } from '../transport/messages.ts';
import { subjects } from '../transport/subjects.ts';
import type { EngineStore } from '../storage/engineStore.ts';
import type { NetworkView } from './networkView.ts';
import type { Outbox } from './outbox.ts';
import type { EngineMetrics } from './metrics.ts';
import type { BackorderIndex } from './backorderIndex.ts';

/** Business deadlines in milliseconds of engine time. */
export interface Deadlines {
  /** How long an agent has to acknowledge released work before it is rerouted. */
  agentAckMs: number;
  /** How long an order may wait for stock before the backorder policy applies. */
  backorderMs: number;
  /** How long a hold lasts before the order is released. */
  holdMs: number;
}

/** Default deadlines: 5 minutes to acknowledge work, 7 days of backorder, 3 days on hold. */
export const DEFAULT_DEADLINES: Deadlines = { agentAckMs: 5 * 60_000, backorderMs: 7 * 86_400_000, holdMs: 3 * 86_400_000 };

const NODE_EVENTS = { online: 'node.online', paused: 'node.pause', offline: 'node.offline' } as const;

/**
 * Applies validated commands to order and node actors and turns the effects they emit into
 * outbox messages. It runs synchronously; the engine persists and publishes afterwards.
 */
export class CommandProcessor {
  private outbox: Outbox | undefined;
  /** Availability changes of the current command, per node, published as one event each. */
  /** SKUs whose availability rose during the current command. */
  private readonly restocked = new Set<string>();
  private readonly availability = new Map<string, { sku: string; onHand: number; reserved: number; available: number }[]>();

  constructor(
    private readonly deps: {
      orders: OrderActors;
      nodes: NodeActors;
      view: NetworkView;
      store: EngineStore;
      metrics: EngineMetrics;
      backorders: BackorderIndex;
      deadlines: Deadlines;
      now: () => number;
    },
  ) {}

  /**
   * Applies one command, collecting the messages its effects produce into `outbox`. Returns
   * `deferred` for a command about an order that does not exist yet when `mayDefer` is set:
   * its place command may still be on its way (redelivered after a crash), so the caller
   * retries it later instead of rejecting it.
   */
  apply(command: Command, outbox: Outbox, mayDefer = false): 'applied' | 'deferred' {
    this.outbox = outbox;
    try {
      if (mayDefer && command.type.startsWith('order.') && command.type !== 'order.place' && !this.deps.orders.exists((command as { orderId: string }).orderId)) return 'deferred';
      if (command.type.startsWith('order.')) this.applyToOrder(command as OrderCommand);
      else this.applyToNode(command as NodeCommand);
      this.wakeBackorders();
      this.publishAvailability(outbox);
    } finally {
      this.outbox = undefined;
      this.availability.clear();
      this.restocked.clear();
    }
    return 'applied';
  }

  /**
   * Re-sources orders waiting for SKUs that became available, oldest first, until the view
   * shows none of the SKU left at any node.
   */
  private wakeBackorders(): void {
    const { orders, backorders, view } = this.deps;
    const at = this.isoNow();
    for (const sku of this.restocked) {
      for (const orderId of backorders.waitingFor(sku)) {
        if (!view.nodeIds().some((nodeId) => view.available(nodeId, sku) > 0)) break;
        const actor = orders.get(orderId);
        if (actor === undefined || actor.getSnapshot().status === 'done') continue;
        actor.send({ type: 'stock.available', at });
        this.afterOrderEvent(orderId);
      }
    }
  }

  /** Persists an order after an event and keeps the backorder index in step with it. */
  private afterOrderEvent(orderId: string): void {
    const actor = this.deps.orders.get(orderId);
    const snapshot = actor?.getSnapshot();
    if (snapshot?.status === 'error') throw new Error(`order ${orderId} failed: ${String(snapshot.error)}`);
    this.deps.backorders.sync(orderId, snapshot?.context, snapshot?.status === 'done');
    this.deps.orders.touch(orderId);
  }

  private scheduleOrderDeadlines(orderId: string, status: string): void {
    const { timers } = this.deps.store;
    if (status === 'backordered') this.scheduleTimer(`backorder:${orderId}`, this.deps.deadlines.backorderMs, subjects.orderCommand(orderId, 'deadline'), { type: 'order.deadline', orderId, deadline: 'backorder' });
    else timers.cancel(`backorder:${orderId}`);
    if (status === 'on_hold') this.scheduleTimer(`hold:${orderId}`, this.deps.deadlines.holdMs, subjects.orderCommand(orderId, 'deadline'), { type: 'order.deadline', orderId, deadline: 'hold' });
    else timers.cancel(`hold:${orderId}`);
  }

  private scheduleTimer(id: string, afterMs: number, subject: string, command: Record<string, unknown>): void {
    const dueAt = this.deps.now() + afterMs;
    this.deps.store.timers.schedule(id, dueAt, subject, { ...command, v: 1, key: `timer:${id}:${dueAt}`, at: new Date(dueAt).toISOString() });
  }

  private publishAvailability(outbox: Outbox): void {
    const at = this.isoNow();
    for (const [nodeId, changes] of this.availability) {
      outbox.event(subjects.nodeEvent(nodeId, 'availability'), { type: 'node.availability', nodeId, changes, at });
    }
  }

  /** Records an order whose place command failed validation, so it ends as rejected with the reason. */
  rejectPlacement(orderId: string, reason: string, outbox: Outbox): void {
    this.outbox = outbox;
    try {
      if (this.deps.orders.exists(orderId)) {
        this.reject('order.place', orderId, 'exists', `order ${orderId} already exists; the invalid repeat was ignored: ${reason}`);
        return;
      }
      const actor = this.deps.orders.create(orderId);
      actor.send({ type: 'order.invalid', reason, at: this.isoNow() });
      this.deps.orders.touch(orderId);
    } finally {
      this.outbox = undefined;
    }
  }

  /** Handles an effect of an order actor; registered with `OrderActors`. */
  readonly onOrderEffect = (orderId: string, effect: OrderEffect): void => {
    const outbox = this.requireOutbox();
    const at = this.isoNow();
    switch (effect.type) {
      case 'reserve':
        this.deps.view.addPending(effect.allocationId, effect.nodeId, effect.lines);
        outbox.command({ type: 'node.reserve', v: 1, key: '', nodeId: effect.nodeId, orderId, allocationId: effect.allocationId, lines: effect.lines, shipTo: effect.shipTo, placedAt: effect.placedAt });
        break;
      case 'release':
        outbox.command({ type: 'node.release', v: 1, key: '', nodeId: effect.nodeId, orderId, allocationId: effect.allocationId, lines: effect.lines, reason: effect.reason });
        break;
      case 'status':
        this.scheduleOrderDeadlines(orderId, effect.status);
        this.deps.metrics.recordStatus(orderId, effect.status, effect.previous, effect.reason);
        outbox.event(subjects.orderEvent(orderId, effect.status), { type: 'order.status', orderId, status: effect.status, previous: effect.previous, reason: effect.reason, at });
        break;
      case 'shipment':
        outbox.event(subjects.orderEvent(orderId, `shipment.${effect.step}`), {
          type: 'order.shipment',
          orderId,
          allocationId: effect.allocationId,
          nodeId: effect.nodeId,
          step: effect.step,
          carrier: effect.carrier,
          trackingNumber: effect.trackingNumber,
          reason: effect.reason,
          at,
        });
        break;
      case 'sourced':
        this.deps.metrics.recordSourced(effect);
        outbox.event(subjects.orderEvent(orderId, 'sourced'), { type: 'order.sourced', orderId, attempt: effect.attempt, ruleId: effect.ruleId, shipments: effect.shipments, backorderedLines: effect.backorderedLines, at });
        break;
      case 'commandRejected':
        this.reject(effect.command, orderId, effect.state, effect.reason);
        break;
    }
  };

  /** Handles an effect of a node actor; registered with `NodeActors`. */
  readonly onNodeEffect = (nodeId: string, effect: NodeEffect): void => {
    const outbox = this.requireOutbox();
    switch (effect.type) {
      case 'reply': {
        this.deps.view.removePending(effect.allocationId);
        const reply = { type: 'order.allocation' as const, v: 1 as const, key: '', orderId: effect.orderId, allocationId: effect.allocationId, nodeId, accepted: effect.accepted };
        outbox.command(effect.accepted ? reply : { ...reply, code: effect.code ?? 'rejected', reason: effect.reason ?? 'rejected' });
        break;
      }
      case 'work':
        this.scheduleTimer(`ack:${effect.allocationId}`, this.deps.deadlines.agentAckMs, subjects.nodeCommand(nodeId, 'ackTimeout'), { type: 'node.ackTimeout', nodeId, allocationId: effect.allocationId });
        outbox.work(nodeId, { kind: 'allocate', allocationId: effect.allocationId, orderId: effect.orderId, nodeId, lines: effect.lines, shipTo: effect.shipTo, placedAt: effect.placedAt });
        break;
      case 'cancelWork':
        outbox.work(nodeId, { kind: 'cancel', allocationId: effect.allocationId, orderId: effect.orderId, nodeId, lines: effect.lines, whole: effect.whole, reason: effect.reason });
        break;
      case 'progress': {
        const progress = { type: 'order.shipment' as const, v: 1 as const, key: '', orderId: effect.orderId, allocationId: effect.allocationId, nodeId, step: effect.step, at: effect.at };
        outbox.command({
          ...progress,
          ...(effect.carrier === undefined ? {} : { carrier: effect.carrier }),
          ...(effect.trackingNumber === undefined ? {} : { trackingNumber: effect.trackingNumber }),
          ...(effect.lines === undefined ? {} : { lines: effect.lines }),
        });
        break;
      }
      case 'workRejected':
        outbox.command({ type: 'order.reroute', v: 1, key: '', orderId: effect.orderId, allocationId: effect.allocationId, nodeId, code: effect.code, reason: effect.reason, at: effect.at });
        break;
      case 'availability':
        if (effect.onHand - effect.reserved > this.deps.view.available(nodeId, effect.sku)) this.restocked.add(effect.sku);
        this.deps.view.setAvailable(nodeId, effect.sku, effect.onHand - effect.reserved);
        this.deps.nodes.markSku(nodeId, effect.sku);
        this.availabilityOf(nodeId).push({ sku: effect.sku, onHand: effect.onHand, reserved: effect.reserved, available: effect.onHand - effect.reserved });
        break;
    }
  };

  private applyToOrder(command: OrderCommand): void {
    const { orders } = this.deps;
    const orderId = command.type === 'order.place' ? command.order.orderId : command.orderId;

    if (command.type === 'order.place') {
      if (orders.exists(orderId)) {
        this.reject(command.type, orderId, 'exists', `order ${orderId} already exists; a second place command with key "${command.key}" was rejected`);
        return;
      }
      const actor = orders.create(orderId);
      actor.send({ type: 'order.placed', order: command.order, at: command.order.placedAt });
      this.afterOrderEvent(orderId);
      return;
    }

    const actor = orders.get(orderId);
    if (actor === undefined) {
      this.reject(command.type, orderId, 'unknown', `order ${orderId} was not found`);
      return;
    }
    const snapshot = actor.getSnapshot();
    if (snapshot.status === 'done') {
      if (command.type === 'order.cancel' || command.type === 'order.hold' || command.type === 'order.release') {
        this.reject(command.type, orderId, JSON.stringify(snapshot.value), `order ${orderId} is ${snapshot.context.status} and accepts no ${command.type}`);
      }
      return;
    }

    const at = this.isoNow();
    switch (command.type) {
      case 'order.cancel':
        actor.send({ type: 'order.cancel', reason: command.reason, at, ...(command.lines === undefined ? {} : { lines: command.lines }) });
        break;
      case 'order.hold':
        actor.send({ type: 'order.hold', reason: command.reason, at });
        break;
      case 'order.release':
        actor.send({ type: 'order.release', at });
        break;
      case 'order.allocation':
        actor.send({ type: 'allocation.answered', allocationId: command.allocationId, accepted: command.accepted, at, ...(command.code === undefined ? {} : { code: command.code }), ...(command.reason === undefined ? {} : { reason: command.reason }) });
        break;
      case 'order.reroute':
        actor.send({ type: 'work.rejected', allocationId: command.allocationId, code: command.code, reason: command.reason, at: command.at });
        break;
      case 'order.shipment':
        actor.send({
          type: 'shipment.progress',
          allocationId: command.allocationId,
          step: command.step,
          at: command.at,
          ...(command.carrier === undefined ? {} : { carrier: command.carrier }),
          ...(command.trackingNumber === undefined ? {} : { trackingNumber: command.trackingNumber }),
          ...(command.lines === undefined ? {} : { lines: command.lines }),
        });
        break;
      case 'order.deadline':
        actor.send({ type: 'order.deadline', deadline: command.deadline, at: command.at });
        break;
    }
    this.afterOrderEvent(orderId);
  }

  private applyToNode(command: NodeCommand): void {
    const { nodes, view } = this.deps;
    if (command.type === 'node.register') {
      this.registerNode(command);
      return;
    }
    const actor = nodes.get(command.nodeId);
    if (actor === undefined) {
      this.reject(command.type, command.nodeId, 'unknown', `node ${command.nodeId} was not found`);
      return;
    }
    if ('allocationId' in command) nodes.markReservation(command.nodeId, command.allocationId);
    if (command.type === 'node.status') nodes.markAllReservations(command.nodeId);
    switch (command.type) {
      case 'node.reserve':
        actor.send({ type: 'node.reserve', allocationId: command.allocationId, orderId: command.orderId, lines: command.lines, placedAt: command.placedAt, shipTo: command.shipTo });
        view.setCapacity(command.nodeId, actor.getSnapshot().context.capacity);
        break;
      case 'node.release':
        actor.send({ type: 'node.release', allocationId: command.allocationId, reason: command.reason, ...(command.lines === undefined ? {} : { lines: command.lines }) });
        break;
      case 'node.report':
        this.deps.store.timers.cancel(`ack:${command.allocationId}`);
        actor.send({ type: 'node.report', report: command });
        break;
      case 'node.ackTimeout':
        actor.send({ type: 'node.ackTimeout', allocationId: command.allocationId, at: command.at });
        break;
      case 'node.inventory':
        actor.send({ type: 'node.inventory', change: { kind: command.kind, sku: command.sku, quantity: command.quantity } });
        break;
      case 'node.status': {
        const event = NODE_EVENTS[command.status];
        actor.send(event === 'node.offline' ? { type: event, at: this.isoNow() } : { type: event });
        const status = String(actor.getSnapshot().value) as typeof command.status;
        view.setStatus(command.nodeId, status);
        this.requireOutbox().event(subjects.nodeEvent(command.nodeId, 'status'), { type: 'node.status', nodeId: command.nodeId, status, at: this.isoNow() });
        break;
      }
    }
    nodes.touch(command.nodeId);
  }

  private registerNode(command: Extract<NodeCommand, { type: 'node.register' }>): void {
    const { nodes, view } = this.deps;
    if (command.node.nodeId !== command.nodeId) {
      this.reject(command.type, command.nodeId, 'unknown', `node.nodeId "${command.node.nodeId}" differs from the command's nodeId "${command.nodeId}"`);
      return;
    }
    const known = nodes.get(command.nodeId);
    if (known === undefined) {
      const actor = nodes.add(command.node, command.stock);
      const { context } = actor.getSnapshot();
      view.setNode(command.node, 'online', context.capacity, Object.entries(context.inventory).map(([sku, level]) => [sku, level.onHand - level.reserved]));
    }
    nodes.touch(command.nodeId);
    this.requireOutbox().event(subjects.nodeEvent(command.nodeId, 'registered'), { type: 'node.registered', nodeId: command.nodeId, known: known !== undefined, skus: Object.keys(command.stock).length, at: this.isoNow() });
  }

  private availabilityOf(nodeId: string) {
    let changes = this.availability.get(nodeId);
    if (changes === undefined) this.availability.set(nodeId, (changes = []));
    return changes;
  }

  private reject(command: string, id: string, state: string, reason: string): void {
    this.deps.metrics.recordRejectedCommand(command, reason);
    this.requireOutbox().event(subjects.commandError('command'), { type: 'command.rejected', command, id, state, reason, at: this.isoNow() });
  }

  private requireOutbox(): Outbox {
    if (this.outbox === undefined) throw new Error('an actor emitted an effect outside of a command; effects must come from CommandProcessor.apply');
    return this.outbox;
  }

  private isoNow(): string {
    return new Date(this.deps.now()).toISOString();
  }
}

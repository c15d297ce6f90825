import { NodeActors } from '../../../src/actors/nodeActors.ts';
import { OrderActors } from '../../../src/actors/orderActors.ts';
import type { Order } from '../../../src/domain/order.ts';
import { BackorderIndex } from '../../../src/engine/backorderIndex.ts';
import { CommandProcessor, DEFAULT_DEADLINES } from '../../../src/engine/commandProcessor.ts';
import { EngineMetrics } from '../../../src/engine/metrics.ts';
import { NetworkView } from '../../../src/engine/networkView.ts';
import { Outbox } from '../../../src/engine/outbox.ts';
import { createOrderMachine } from '../../../src/machines/orderMachine.ts';
import type { Sourcer } from '../../../src/machines/orderLogic.ts';
import { planSourcing } from '../../../src/sourcing/index.ts';
import type { RuleSet } from '../../../src/sourcing/types.ts';
import type { AppliedCommand, EngineStore, OutboxEntry } from '../../../src/storage/engineStore.ts';
import { decode } from '../../../src/transport/codec.ts';
import { CommandSchema, MESSAGE_VERSION, describeIssues, type WorkOrder } from '../../../src/transport/messages.ts';
import type { BenchNetwork } from './orderWorkload.ts';

/** How the simulated node agents respond to work in {@link InProcessEngine}. */
export type AgentMode = 'none' | 'full-lifecycle';

/** Options of {@link InProcessEngine}. */
export interface InProcessEngineOptions {
  readonly store: EngineStore;
  readonly rules: RuleSet;
  /** Live order actors before idle ones are passivated. Default 50,000, as the engine. */
  readonly maxLiveOrders?: number;
  /** Commands per LMDB commit. Default 1,000, as the engine. */
  readonly maxBatch?: number;
  /**
   * `none`: work released to nodes is left unanswered, so orders stay `processing`.
   * `full-lifecycle`: an agent accepts, picks, packs, ships and delivers each allocation, one
   * step per later batch. Default `full-lifecycle`.
   */
  readonly agents?: AgentMode;
}

/** Counters of an {@link InProcessEngine}. */
export interface InProcessCounters {
  commands: number;
  batches: number;
  /** Order snapshots written to the `orders` database. */
  orderSnapshotWrites: number;
  eventsDropped: number;
  invalid: number;
}

/** Batches after release at which the simulated agent sends each report. */
const REPORT_DELAYS: readonly (readonly [kind: string, afterBatches: number])[] = [
  ['accepted', 1],
  ['picked', 2],
  ['packed', 3],
  ['shipped', 4],
  ['delivered', 6],
];

/**
 * The engine's command path without NATS: the same `CommandProcessor`, order and node actors,
 * network view, backorder index and LMDB store as `Engine`, wired the same way, applying
 * commands in batches with one commit and `flushed` per batch. Commands the effects produce go
 * to an in-memory queue for the next batch instead of JetStream, events are dropped, and node
 * agents are simulated in process. It writes what the engine writes for the same commands.
 */
export class InProcessEngine {
  readonly metrics = new EngineMetrics();
  readonly view = new NetworkView();
  readonly orders: OrderActors;
  readonly nodes: NodeActors;
  readonly counters: InProcessCounters = { commands: 0, batches: 0, orderSnapshotWrites: 0, eventsDropped: 0, invalid: 0 };
  readonly #processor: CommandProcessor;
  readonly #options: InProcessEngineOptions;
  #queue: unknown[] = [];
  /** Keys applied in the current batch: LMDB reads see committed writes only. */
  readonly #appliedInBatch = new Map<string, AppliedCommand>();
  readonly #later = new Map<number, unknown[]>();
  #sequence = 0;

  constructor(options: InProcessEngineOptions) {
    this.#options = options;
    const source: Sourcer = ({ order, lines, exclusions }) => {
      const decidedAt = Date.parse(order.placedAt);
      return planSourcing({ order, lines, exclusions, network: this.view.snapshot(decidedAt), rules: options.rules, now: decidedAt });
    };
    const machine = createOrderMachine({ source, deadlines: { backorder: 'cancel' } });
    this.orders = new OrderActors({ machine, store: options.store, now: Date.now, maxLive: options.maxLiveOrders ?? 50_000, onEffect: (id, effect) => this.#processor.onOrderEffect(id, effect) });
    this.nodes = new NodeActors({ store: options.store, now: Date.now, onEffect: (id, effect) => this.#processor.onNodeEffect(id, effect) });
    this.#processor = new CommandProcessor({
      orders: this.orders,
      nodes: this.nodes,
      view: this.view,
      store: options.store,
      metrics: this.metrics,
      backorders: new BackorderIndex(options.store.backorders),
      deadlines: DEFAULT_DEADLINES,
      now: Date.now,
    });
    this.nodes.restoreAll();
    for (const { node, status, context } of this.nodes.entries()) {
      this.view.setNode(node, status, context.capacity, Object.entries(context.inventory).map(([sku, level]) => [sku, level.onHand - level.reserved]));
    }
  }

  /** Commands waiting for a later batch, including scheduled agent reports. */
  get pending(): number {
    let later = 0;
    for (const commands of this.#later.values()) later += commands.length;
    return this.#queue.length + later;
  }

  /** Queues `node.register` commands with the keys `registerNodes` uses for `reference`. */
  register(network: BenchNetwork, reference: string): void {
    for (const node of network.nodes) {
      const key = `register:${reference}:${node.nodeId}`;
      this.#queue.push({ type: 'node.register', v: MESSAGE_VERSION, key, nodeId: node.nodeId, node, stock: network.inventory[node.nodeId] ?? {} });
    }
  }

  /** Queues a place command with the key `CommandPublisher` uses. */
  place(order: Order): void {
    this.#queue.push({ type: 'order.place', v: MESSAGE_VERSION, key: `place:${order.orderId}`, order });
  }

  /** Applies up to `maxBatch` queued commands as one batch and waits until it is durable; returns how many. */
  async step(): Promise<number> {
    this.#sequence += 1;
    const due = this.#later.get(this.#sequence);
    if (due !== undefined) {
      this.#later.delete(this.#sequence);
      for (const command of due) this.#queue.push(command);
    }
    const batch = this.#queue.splice(0, this.#options.maxBatch ?? 1_000);
    const outgoing: OutboxEntry[] = [];
    for (const raw of batch) {
      for (const entry of this.#apply(raw)) outgoing.push(entry);
    }
    this.counters.orderSnapshotWrites += this.orders.persist();
    this.nodes.persist();
    await this.#options.store.flushed();
    this.#appliedInBatch.clear();
    this.counters.batches += 1;
    this.counters.commands += batch.length;
    for (const entry of outgoing) this.#route(entry);
    return batch.length;
  }

  /** Runs batches until nothing is queued or scheduled. */
  async runUntilIdle(): Promise<void> {
    while (this.pending > 0) await this.step();
  }

  /**
   * Mirrors the engine's per-message path: validate, skip applied keys, apply, record the key.
   * NOTE: keep in step with `Engine.applyMessage`. The engine's deferral of commands for orders
   * that do not exist yet is left out, because these workloads place every order first.
   */
  #apply(raw: unknown): OutboxEntry[] {
    const parsed = CommandSchema.safeParse(raw);
    if (!parsed.success) {
      this.counters.invalid += 1;
      throw new Error(`in-process command is invalid: ${describeIssues(parsed.error, raw)}`);
    }
    const command = parsed.data;
    const appliedKey = `${command.type}:${command.key}`;
    const applied = this.#appliedInBatch.get(appliedKey) ?? this.#options.store.applied.get(appliedKey);
    if (applied !== undefined) return applied.outbox;

    const outbox = new Outbox(appliedKey);
    this.#processor.apply(command, outbox);
    const record = { at: Date.now(), outbox: outbox.entries };
    this.#appliedInBatch.set(appliedKey, record);
    void this.#options.store.applied.put(appliedKey, record);
    return outbox.entries;
  }

  #route(entry: OutboxEntry): void {
    if (entry.subject.startsWith('sy.cmd.')) {
      this.#queue.push(decode(entry.data));
      return;
    }
    if (entry.subject.startsWith('sy.work.')) {
      const work = decode(entry.data) as WorkOrder;
      if (work.kind === 'allocate' && (this.#options.agents ?? 'full-lifecycle') === 'full-lifecycle') this.#scheduleReports(work);
      return;
    }
    this.counters.eventsDropped += 1;
  }

  #scheduleReports(work: WorkOrder): void {
    for (const [kind, afterBatches] of REPORT_DELAYS) {
      const at = this.#sequence + afterBatches;
      const report = {
        type: 'node.report',
        v: MESSAGE_VERSION,
        key: `${work.nodeId}:${work.allocationId}:${kind}`,
        nodeId: work.nodeId,
        allocationId: work.allocationId,
        kind,
        at: new Date().toISOString(),
        ...(kind === 'shipped' ? { carrier: 'DHL Express', trackingNumber: `SY${work.allocationId.slice(-10)}` } : {}),
      };
      let list = this.#later.get(at);
      if (list === undefined) this.#later.set(at, (list = []));
      list.push(report);
    }
  }
}

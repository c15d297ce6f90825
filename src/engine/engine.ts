import { AckPolicy, DeliverPolicy, jetstream, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { OrderIdSchema } from '../domain/ids.ts';
import type { FulfillmentNode } from '../domain/node.ts';
import { NodeActors } from '../actors/nodeActors.ts';
import { OrderActors } from '../actors/orderActors.ts';
import type { Logger } from '../logging.ts';
import { createOrderMachine } from '../machines/orderMachine.ts';
import type { Sourcer } from '../machines/orderLogic.ts';
import { planSourcing } from '../sourcing/index.ts';
import type { RuleSet, SourcingPlan, SourcingRequest } from '../sourcing/types.ts';
import type { AppliedCommand, EngineStore, OutboxEntry } from '../storage/engineStore.ts';
import { decode, DecodeError, encode } from '../transport/codec.ts';
import { CommandSchema, describeIssues } from '../transport/messages.ts';
import { ensureStreams } from '../transport/streams.ts';
import { startPullLoop, type PullLoop } from '../transport/pullLoop.ts';
import { COMMAND_STREAM, subjects } from '../transport/subjects.ts';
import { CommandProcessor, DEFAULT_DEADLINES, type Deadlines } from './commandProcessor.ts';
import { BackorderIndex } from './backorderIndex.ts';
import { EngineMetrics } from './metrics.ts';
import { NetworkView } from './networkView.ts';
import { Outbox } from './outbox.ts';
import { publishAll } from './publishAll.ts';
import { answerQueries } from './queries.ts';
import { HeartbeatMonitor } from './heartbeatMonitor.ts';

/** Messages asked for per pull request. */
const PULL_BATCH = 1_000;
/**
 * Deliveries of a command about an unknown order before it is rejected: its place command may
 * come back later, redelivered after the ack wait of a crashed engine.
 */
const MAX_DEFERRALS = 4;
/** Delay before a deferred command is delivered again, in ms (longer than the ack wait). */
const DEFER_MS = 12_000;
/** Batches applied but not yet acknowledged, at most. */
const MAX_BATCHES_IN_FLIGHT = 4;

/** A batch applied in memory and written, waiting for its flush, publish and acknowledgement. */
interface AppliedBatch {
  messages: JsMsg[];
  outgoing: OutboxEntry[];
  /** Applied keys this batch added. */
  keys: string[];
  started: number;
  applied: number;
}

/** Options for `Engine.start`. */
export interface EngineOptions {
  nc: NatsConnection;
  store: EngineStore;
  rules: RuleSet;
  logger: Logger;
  /** Wall clock for event times, in epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Durable consumer name on the command stream. Default `engine`. */
  consumerName?: string;
  /** Live order actors kept in memory before idle ones are passivated. Default 50,000. */
  maxLiveOrders?: number;
  /** Commands applied per LMDB commit and flush. Default 1,000. */
  maxBatch?: number;
  /** Sourcing function; default `planSourcing`. */
  plan?: (request: SourcingRequest) => SourcingPlan;
  /** Agent silence after which its node goes offline, in ms. Default 15,000. */
  heartbeatTimeoutMs?: number;
  /** Business deadlines; each defaults to `DEFAULT_DEADLINES`. */
  deadlines?: Partial<Deadlines>;
  /** Action on a passed backorder deadline. Default `cancel`. */
  backorderDeadlineAction?: 'cancel' | 'hold';
  /** How often due deadlines are looked up, in ms. Default 250. */
  timerIntervalMs?: number;
}

/**
 * The orchestration engine: consumes the command stream with a durable pull consumer,
 * applies each batch of commands to order and node actors, makes their state durable in
 * LMDB, publishes what their effects produced, and only then acknowledges the batch.
 */
export class Engine {
  readonly metrics = new EngineMetrics();
  readonly view = new NetworkView();
  readonly orders: OrderActors;
  readonly nodes: NodeActors;
  private readonly processor: CommandProcessor;
  private readonly js: JetStreamClient;
  private readonly now: () => number;
  private readonly queue: JsMsg[] = [];
  /** Commands applied in batches not yet flushed, by applied key, until LMDB commits them. */
  private readonly appliedInBatch = new Map<string, AppliedCommand>();
  private scheduled = false;
  private draining: Promise<void> | undefined;
  /** The last batch's flush, publish and acknowledgement; later batches publish after it. */
  private completing: Promise<void> | undefined;
  private pullLoop: PullLoop | undefined;
  private querySubscriptions: Subscription[] = [];
  private heartbeats: HeartbeatMonitor | undefined;
  private timerLoop: NodeJS.Timeout | undefined;
  private firing: Promise<number> | undefined;
  private stopped = false;

  private constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
    this.js = jetstream(options.nc);
    const plan = options.plan ?? planSourcing;
    const source: Sourcer = ({ order, lines, exclusions }) => {
      const decidedAt = Date.parse(order.placedAt);
      const started = process.hrtime.bigint();
      const result = plan({ order, lines, exclusions, network: this.view.snapshot(decidedAt), rules: options.rules, now: decidedAt });
      this.metrics.recordDecision(Number(process.hrtime.bigint() - started));
      return result;
    };
    const machine = createOrderMachine({ source, deadlines: { backorder: options.backorderDeadlineAction ?? 'cancel' } });
    this.orders = new OrderActors({ machine, store: options.store, now: this.now, maxLive: options.maxLiveOrders ?? 50_000, onEffect: (id, e) => this.processor.onOrderEffect(id, e) });
    this.nodes = new NodeActors({ store: options.store, now: this.now, onEffect: (id, e) => this.processor.onNodeEffect(id, e) });
    this.processor = new CommandProcessor({
      orders: this.orders,
      nodes: this.nodes,
      view: this.view,
      store: options.store,
      metrics: this.metrics,
      backorders: new BackorderIndex(options.store.backorders),
      deadlines: { ...DEFAULT_DEADLINES, ...options.deadlines },
      now: this.now,
    });
  }

  /** Restores node actors from LMDB, makes sure the streams exist and starts consuming. */
  static async start(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    const restored = engine.nodes.restoreAll();
    engine.refreshView();
    await ensureStreams(options.nc);
    engine.querySubscriptions = answerQueries(options.nc, engine, options.logger);
    await engine.consume();
    engine.timerLoop = setInterval(() => void engine.fireDueTimers(), options.timerIntervalMs ?? 250);
    engine.heartbeats = new HeartbeatMonitor({ nc: options.nc, logger: options.logger, ...(options.heartbeatTimeoutMs === undefined ? {} : { timeoutMs: options.heartbeatTimeoutMs }) });
    options.logger.info({ nodes: restored }, 'engine consuming commands');
    return engine;
  }

  /** Adds nodes with opening stock unless the store already contains a network, and returns how many were added. */
  async seedNetwork(nodes: readonly FulfillmentNode[], inventory: Readonly<Record<string, Record<string, number>>>): Promise<number> {
    if (this.nodes.get(nodes[0]?.nodeId ?? '') !== undefined || [...this.nodes.entries()].length > 0) return 0;
    for (const node of nodes) this.nodes.add(node, inventory[node.nodeId] ?? {});
    this.nodes.persist();
    await this.options.store.flushed();
    this.refreshView();
    return nodes.length;
  }

  /** Stops consuming, waits for the batch in progress and stops every actor. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.heartbeats?.stop();
    clearInterval(this.timerLoop);
    await this.firing;
    for (const subscription of this.querySubscriptions) subscription.unsubscribe();
    await this.pullLoop?.stop();
    await this.draining;
    this.orders.stopAll();
    this.nodes.stopAll();
  }

  /**
   * Publishes every deadline due at the engine clock's now as a command, then removes it.
   * A crash in between republishes it with the same message id and idempotency key.
   * Returns how many fired.
   */
  async fireDueTimers(): Promise<number> {
    if (this.firing !== undefined) return 0;
    const run = async (): Promise<number> => {
      const due = this.options.store.timers.due(this.now(), 1_000);
      if (due.length === 0) return 0;
      const entries = due.map((timer) => ({ subject: timer.subject, data: encode(timer.command), msgId: String(timer.command.key) }));
      await publishAll(this.js, entries, this.options.logger);
      for (const timer of due) this.options.store.timers.fired(timer);
      await this.options.store.flushed();
      return due.length;
    };
    this.firing = run()
      .catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'publishing due deadlines failed; retrying on the next tick');
        return 0;
      })
      .finally(() => (this.firing = undefined));
    return this.firing;
  }

  /** Resolves once no command is queued or being applied, so its state is committed to LMDB. */
  async whenIdle(): Promise<void> {
    while (this.draining !== undefined || this.queue.length > 0) await (this.draining ?? sleep(5));
  }

  /** Commands waiting in memory to be applied. */
  get backlog(): number {
    return this.queue.length;
  }

  private refreshView(): void {
    for (const { node, status, context } of this.nodes.entries()) {
      const stock: [string, number][] = Object.entries(context.inventory).map(([sku, level]) => [sku, level.onHand - level.reserved]);
      this.view.setNode(node, status, context.capacity, stock);
    }
  }

  private async consume(): Promise<void> {
    const jsm = await ensureStreams(this.options.nc);
    const name = this.options.consumerName ?? 'engine';
    try {
      await jsm.consumers.info(COMMAND_STREAM, name);
    } catch {
      await jsm.consumers.add(COMMAND_STREAM, {
        durable_name: name,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        max_ack_pending: 5_000,
        // Unacknowledged commands (a crashed batch) come back after this many nanoseconds.
        ack_wait: 10_000_000_000,
      });
    }
    const consumer = await this.js.consumers.get(COMMAND_STREAM, name);
    // Flow control: the consumer's max_ack_pending bounds the commands held in memory.
    this.pullLoop = await startPullLoop(
      consumer,
      (message) => {
        this.queue.push(message);
        this.schedule();
      },
      { batch: PULL_BATCH, logger: this.options.logger },
    );
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.draining === undefined) this.draining = this.drain().finally(() => (this.draining = undefined));
    });
  }

  /**
   * Applies queued commands batch after batch. A batch is applied and written at once. Once its
   * writes are committed, its flush, publish and acknowledgement run while the next batch is
   * applied. Batches complete in order, at most `MAX_BATCHES_IN_FLIGHT` at a time.
   */
  private async drain(): Promise<void> {
    const maxBatch = this.options.maxBatch ?? 1_000;
    let inFlight = 0;
    while (this.queue.length > 0 && !this.stopped) {
      const batch = this.queue.splice(0, maxBatch);
      const applied = this.applyBatch(batch);
      inFlight++;
      this.completing = this.completeBatch(applied, this.completing).finally(() => inFlight--);
      // The next batch may rehydrate actors this one stopped: it must read this batch's
      // writes, so it waits for their commit (not for the slower flush to disk).
      await this.options.store.committed();
      if (inFlight >= MAX_BATCHES_IN_FLIGHT) await this.completing;
    }
    await this.completing;
  }

  /** Applies a batch to the actors and issues its LMDB writes; returns what it must publish. */
  private applyBatch(batch: JsMsg[]): AppliedBatch {
    const started = performance.now();
    const outgoing: OutboxEntry[] = [];
    const keys: string[] = [];
    const deferred = new Set<JsMsg>();
    for (const message of batch) {
      const entries = this.applyMessage(message, keys, deferred);
      for (const entry of entries) outgoing.push(entry);
    }
    this.orders.persist();
    this.nodes.persist();
    return { messages: batch.filter((message) => !deferred.has(message)), outgoing, keys, started, applied: performance.now() };
  }

  /**
   * Waits until the batch's writes are on disk, publishes its outbox after the previous batch's
   * and then acknowledges its commands. A failed batch stays unacknowledged: JetStream
   * redelivers it after the ack wait, and the applied-key records make the redelivery
   * republish instead of re-apply.
   */
  private async completeBatch(batch: AppliedBatch, previous: Promise<void> | undefined): Promise<void> {
    const { store, logger } = this.options;
    try {
      await store.flushed();
      for (const key of batch.keys) this.appliedInBatch.delete(key);
      const flushed = performance.now();
      await previous;
      await publishAll(this.js, batch.outgoing, logger);
      for (const message of batch.messages) message.ack();
      this.metrics.batches++;
      logger.debug(
        { messages: batch.messages.length, published: batch.outgoing.length, applyMs: batch.applied - batch.started, flushMs: flushed - batch.applied, publishMs: performance.now() - flushed },
        'command batch applied',
      );
    } catch (error) {
      logger.error({ err: error, messages: batch.messages.length }, 'command batch failed; it will be redelivered');
    }
  }

  /** Applies one message and returns what it must publish. Bad input becomes an error event, not an exception. */
  private applyMessage(message: JsMsg, keys: string[], deferred: Set<JsMsg>): OutboxEntry[] {
    let raw: unknown;
    try {
      raw = decode(message.data, message.headers);
    } catch (error) {
      return this.invalid(message, error instanceof DecodeError ? error.message : String(error));
    }

    const parsed = CommandSchema.safeParse(raw);
    if (!parsed.success) {
      const reason = describeIssues(parsed.error, raw);
      const orderId = placedOrderId(raw);
      if (orderId !== undefined) {
        const outbox = new Outbox(`invalid:${message.info.streamSequence}`);
        this.processor.rejectPlacement(orderId, reason, outbox);
        return [...outbox.entries, ...this.invalid(message, reason)];
      }
      return this.invalid(message, reason);
    }

    const command = parsed.data;
    const appliedKey = `${command.type}:${command.key}`;
    // LMDB reads see committed writes only, so keys applied earlier in this batch are looked
    // up in memory first.
    const applied = this.appliedInBatch.get(appliedKey) ?? this.options.store.applied.get(appliedKey);
    if (applied !== undefined) {
      this.metrics.duplicatesSkipped++;
      return applied.outbox;
    }

    const outbox = new Outbox(appliedKey);
    try {
      const mayDefer = message.info.deliveryCount < MAX_DEFERRALS;
      if (this.processor.apply(command, outbox, mayDefer) === 'deferred') {
        deferred.add(message);
        message.nak(DEFER_MS);
        return [];
      }
    } catch (error) {
      this.options.logger.error({ err: error, subject: message.subject, key: command.key }, 'command failed');
      return this.invalid(message, `command failed: ${(error as Error).message}`);
    }
    const record = { at: this.now(), outbox: outbox.entries };
    this.appliedInBatch.set(appliedKey, record);
    keys.push(appliedKey);
    void this.options.store.applied.put(appliedKey, record);
    this.metrics.commandsApplied++;
    return outbox.entries;
  }

  private invalid(message: JsMsg, reason: string): OutboxEntry[] {
    this.metrics.recordInvalid(message.subject.split('.').slice(0, 3).join('.'));
    this.options.logger.warn({ subject: message.subject, reason }, 'invalid message rejected');
    const outbox = new Outbox(`invalid:${message.info.streamSequence}`);
    outbox.event(subjects.commandError('invalid'), { type: 'message.invalid', subject: message.subject, streamSequence: message.info.streamSequence, reason, at: new Date(this.now()).toISOString() });
    return outbox.entries;
  }
}

/** Returns the order id of a place command that failed validation, when it has a usable one. */
function placedOrderId(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const { type, order } = raw as { type?: unknown; order?: { orderId?: unknown } };
  if (type !== 'order.place' || order === undefined || order === null) return undefined;
  const parsed = OrderIdSchema.safeParse(order.orderId);
  return parsed.success ? parsed.data : undefined;
}

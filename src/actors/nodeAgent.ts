import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { NodeIdSchema } from '../domain/ids.ts';
import type { FulfillmentNode, NodeStatus } from '../domain/node.ts';
import type { Logger } from '../logging.ts';
import { decode, encode } from '../transport/codec.ts';
import { MESSAGE_VERSION, WorkOrderSchema, describeIssues, type AgentReport, type WorkOrder } from '../transport/messages.ts';
import { ensureStreams } from '../transport/streams.ts';
import { startPullLoop, type PullLoop } from '../transport/pullLoop.ts';
import { publishWithRetry } from '../transport/publishWithRetry.ts';
import { WORK_STREAM, subjects } from '../transport/subjects.ts';

/** Options for `NodeAgent.start`. */
export interface NodeAgentOptions {
  /** A connected NATS client; the agent does not close it. */
  nc: NatsConnection;
  /** Id of the node this agent runs, as known to the engine. */
  nodeId: string;
  /** Called once per allocation released to this node. */
  onWork: (work: WorkOrder, agent: NodeAgent) => void;
  /** Called when the engine withdraws lines of earlier work (the order was cancelled). */
  onCancel?: (work: WorkOrder, agent: NodeAgent) => void;
  logger: Logger;
  /** Interval of liveness heartbeats on `sy.hb.<nodeId>`, in ms; 0 sends none. Default 5,000. */
  heartbeatMs?: number;
}

/** Shipment details reported with `shipped`. */
export interface ShipmentDetails {
  carrier: string;
  trackingNumber: string;
}

/**
 * The library a store's or warehouse's software embeds to join the Switchyard network:
 * it receives allocations for its node from a durable JetStream consumer, and reports
 * rejections, picking, packing, shipping, delivery, inventory changes and its status.
 * Every report carries an idempotency key and is retried with the same message id while the
 * server is unreachable, so a report has its effect once.
 */
export class NodeAgent {
  private pullLoop: PullLoop | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    private readonly options: NodeAgentOptions,
    private readonly js: JetStreamClient,
  ) {}

  /** Connects the agent's durable consumer (`agent-<nodeId>`) and starts receiving work. */
  static async start(options: NodeAgentOptions): Promise<NodeAgent> {
    const nodeId = NodeIdSchema.safeParse(options.nodeId);
    if (!nodeId.success) throw new Error(`invalid node id "${options.nodeId}": ${nodeId.error.issues[0]?.message ?? 'rejected'}`);
    await ensureStreams(options.nc);
    const agent = new NodeAgent(options, jetstream(options.nc));
    await agent.consume();
    agent.startHeartbeat(options.heartbeatMs ?? 5_000);
    return agent;
  }

  get nodeId(): string {
    return this.options.nodeId;
  }

  /** Acknowledges an allocation: the node has it and will work on it, so its deadline is cleared. */
  async accept(allocationId: string): Promise<void> {
    await this.report({ allocationId, kind: 'accepted' });
  }

  /** Rejects an allocation with a reason code (such as `not_in_stock`); the order reroutes it. */
  async reject(allocationId: string, code: string, reason: string): Promise<void> {
    await this.report({ allocationId, kind: 'rejected', code, reason });
  }

  async picked(allocationId: string): Promise<void> {
    await this.report({ allocationId, kind: 'picked' });
  }

  async packed(allocationId: string): Promise<void> {
    await this.report({ allocationId, kind: 'packed' });
  }

  async shipped(allocationId: string, details: ShipmentDetails): Promise<void> {
    await this.report({ allocationId, kind: 'shipped', carrier: details.carrier, trackingNumber: details.trackingNumber });
  }

  async delivered(allocationId: string): Promise<void> {
    await this.report({ allocationId, kind: 'delivered' });
  }

  /**
   * Reports a stock change of one SKU, in unit steps: a receipt adds, an adjustment adds a
   * signed amount, a count sets on hand. `reference` makes the report idempotent.
   */
  async inventory(kind: 'receipt' | 'adjustment' | 'count', sku: string, quantity: number, reference: string): Promise<void> {
    const key = `${this.nodeId}:inventory:${reference}`;
    await this.publish('inventory', key, { type: 'node.inventory', nodeId: this.nodeId, kind, sku, quantity, at: new Date().toISOString() });
  }

  /** Takes the node online, pauses it (no new work) or takes it offline (open work is rerouted). */
  async setStatus(status: NodeStatus, reference = String(Date.now())): Promise<void> {
    await this.publish('status', `${this.nodeId}:status:${status}:${reference}`, { type: 'node.status', nodeId: this.nodeId, status });
  }

  /**
   * Registers the node with the engine: a new node becomes a sourcing candidate at once, with
   * the given opening stock (units per SKU); a known node keeps its stock.
   */
  async register(node: FulfillmentNode, stock: Record<string, number> = {}): Promise<void> {
    await this.publish('register', `${this.nodeId}:register:${node.nodeId}`, { type: 'node.register', nodeId: this.nodeId, node, stock });
  }

  /** Stops heartbeats and receiving work; the durable consumer keeps what arrives meanwhile. */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.pullLoop?.stop();
  }

  private startHeartbeat(intervalMs: number): void {
    if (intervalMs <= 0) return;
    const beat = (): void => {
      if (!this.options.nc.isClosed()) this.options.nc.publish(subjects.heartbeat(this.nodeId), encode({ nodeId: this.nodeId, at: Date.now() }));
    };
    beat();
    this.heartbeat = setInterval(beat, intervalMs);
    this.heartbeat.unref();
  }

  private async report(report: Omit<AgentReport, 'type' | 'v' | 'key' | 'nodeId' | 'at'>): Promise<void> {
    const key = `${this.nodeId}:${report.allocationId}:${report.kind}`;
    await this.publish('report', key, { type: 'node.report', nodeId: this.nodeId, at: new Date().toISOString(), ...report });
  }

  private async publish(verb: string, key: string, body: Record<string, unknown>): Promise<void> {
    await publishWithRetry(this.js, subjects.nodeCommand(this.nodeId, verb), encode({ ...body, v: MESSAGE_VERSION, key }), key, { logger: this.options.logger });
  }

  private async consume(): Promise<void> {
    const jsm = await jetstreamManager(this.options.nc);
    const name = `agent-${this.nodeId}`;
    try {
      await jsm.consumers.info(WORK_STREAM, name);
    } catch {
      await jsm.consumers.add(WORK_STREAM, {
        durable_name: name,
        filter_subject: subjects.work(this.nodeId),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: 30_000_000_000,
      });
    }
    const consumer = await this.js.consumers.get(WORK_STREAM, name);
    this.pullLoop = await startPullLoop(consumer, (message) => this.handle(message), { batch: 500, logger: this.options.logger });
  }

  /** Validates one work message and hands it to the application; bad messages are dropped and logged. */
  private handle(message: JsMsg): void {
    let raw: unknown;
    try {
      raw = decode(message.data, message.headers);
    } catch (error) {
      this.options.logger.error({ nodeId: this.nodeId, err: error }, 'undecodable work message dropped');
      message.term();
      return;
    }
    const parsed = WorkOrderSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.logger.error({ nodeId: this.nodeId, reason: describeIssues(parsed.error, raw) }, 'invalid work message dropped');
      message.term();
      return;
    }
    try {
      if (parsed.data.kind === 'allocate') this.options.onWork(parsed.data, this);
      else this.options.onCancel?.(parsed.data, this);
      message.ack();
    } catch (error) {
      this.options.logger.error({ nodeId: this.nodeId, allocationId: parsed.data.allocationId, err: error }, 'work handler failed; the work will be redelivered');
      message.nak(1_000);
    }
  }
}

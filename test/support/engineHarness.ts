import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine, type EngineOptions } from '../../src/engine/engine.ts';
import { FulfillmentNodeSchema, type FulfillmentNode, type FulfillmentNodeInput } from '../../src/domain/node.ts';
import type { OrderInput } from '../../src/domain/order.ts';
import { createLogger, silentLogger } from '../../src/logging.ts';
import type { OrderContext } from '../../src/machines/orderState.ts';
import { CommandPublisher } from '../../src/publish/commandPublisher.ts';
import { registerNodes } from '../../src/publish/registerNodes.ts';
import { DEFAULT_RULE_SET } from '../../src/sourcing/index.ts';
import { openEngineStore, type EngineStore } from '../../src/storage/engineStore.ts';
import { encode } from '../../src/transport/codec.ts';
import { startNatsServer, type NatsServerHandle } from '../../src/transport/natsServer.ts';
import { subjects } from '../../src/transport/subjects.ts';
import { tempDir } from './tempDir.ts';

/** Builds a node in London unless overridden. Tests give its stock separately. */
export function testNode(nodeId: string, extra: Partial<FulfillmentNodeInput> = {}): FulfillmentNode {
  return FulfillmentNodeSchema.parse({
    nodeId,
    name: nodeId,
    type: 'DC',
    city: 'London',
    country: 'GB',
    lat: 51.5,
    lon: -0.12,
    timeZone: 'Europe/London',
    dailyCapacity: 1_000,
    cutoffLocal: '23:59',
    handlingCostMinor: 100,
    ...extra,
  });
}

/** Builds an order to London placed on 2010-12-01 with lines of SKU and quantity. */
export function testOrder(orderId: string, lines: [string, number][]): OrderInput {
  return {
    orderId,
    placedAt: '2010-12-01T09:00:00Z',
    currency: 'GBP',
    destination: { city: 'London', country: 'GB', lat: 51.51, lon: -0.13 },
    lines: lines.map(([sku, quantity], index) => ({ lineId: `L${index + 1}`, sku, quantity, unitPriceMinor: 100 })),
  };
}

/**
 * A real nats-server, an LMDB store in a temp folder and an engine with a clock the test moves.
 * `restart()` stops the engine and starts a new one on the same store, as after a crash.
 */
export class EngineHarness {
  clock = Date.parse('2026-01-01T00:00:00Z');
  engine!: Engine;
  nc!: NatsConnection;
  publisher!: CommandPublisher;
  store!: EngineStore;
  private server!: NatsServerHandle;
  private dir!: Awaited<ReturnType<typeof tempDir>>;

  constructor(private readonly engineOptions: Partial<EngineOptions> = {}) {}

  async start(): Promise<void> {
    this.server = await startNatsServer();
    this.dir = await tempDir('engine');
    this.nc = await connect({ servers: this.server.url });
    this.publisher = new CommandPublisher(this.nc);
    this.store = openEngineStore({ path: this.dir.path });
    await this.startEngine();
  }

  async restart(): Promise<void> {
    await this.engine.stop();
    await this.store.close();
    this.store = openEngineStore({ path: this.dir.path });
    await this.startEngine();
  }

  async stop(): Promise<void> {
    await this.engine?.stop();
    await this.store?.close();
    await this.nc?.close();
    await this.server?.stop();
    await this.dir?.remove();
  }

  async register(nodes: FulfillmentNode[], stock: Record<string, Record<string, number>>): Promise<void> {
    await registerNodes(this.nc, nodes, stock, `test-${Math.random()}`);
    await this.until(() => nodes.every((node) => this.engine.nodes.get(node.nodeId) !== undefined), 'nodes registered');
  }

  async place(order: OrderInput): Promise<void> {
    const result = await this.publisher.placeOrder(order);
    if (!result.ok) throw new Error(result.reason);
    await this.publisher.drain();
  }

  /** Publishes any command with its own key and message id. */
  async command(subject: string, command: Record<string, unknown>, msgId = String(command.key)): Promise<void> {
    await jetstream(this.nc).publish(subject, encode({ v: 1, ...command }), { msgID: msgId });
  }

  async reportAs(nodeId: string, allocationId: string, kind: string, msgId?: string): Promise<void> {
    await this.command(subjects.nodeCommand(nodeId, 'report'), { type: 'node.report', nodeId, allocationId, kind, key: `${nodeId}:${allocationId}:${kind}`, at: new Date(this.clock).toISOString() }, msgId);
  }

  order(orderId: string): OrderContext | undefined {
    return this.engine.orders.get(orderId)?.getSnapshot().context;
  }

  stock(nodeId: string, sku: string): { onHand: number; reserved: number } | undefined {
    return this.engine.nodes.get(nodeId)?.getSnapshot().context.inventory[sku];
  }

  /** Waits (polling every 20 ms, at most 40 s) until `check` holds. */
  async until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 2_000; i++) {
      if (check()) return;
      await sleep(20);
    }
    const info = await (await jetstreamManager(this.nc)).consumers.info('SY_COMMANDS', 'engine');
    const consumer = `consumer pending ${info.num_pending}, ack pending ${info.num_ack_pending}, redelivered ${info.num_redelivered}, engine backlog ${this.engine.backlog}`;
    throw new Error(`timed out waiting for ${what} (${consumer})`);
  }

  /** Fires due deadlines until `check` holds, for a deadline whose write may still be committing. */
  async fireUntil(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 20 && !check(); i++) {
      await this.engine.whenIdle();
      await this.engine.fireDueTimers();
      await sleep(250);
    }
    await this.until(check, what);
  }

  async untilStatus(orderId: string, status: string): Promise<OrderContext> {
    await this.until(() => this.order(orderId)?.status === status, `order ${orderId} to be ${status}`);
    // The actor changes before its batch commits: wait for the commit, so LMDB reads
    // (deadlines, restarts) see the same state.
    await this.engine.whenIdle();
    return this.order(orderId) as OrderContext;
  }

  private async startEngine(): Promise<void> {
    this.engine = await Engine.start({ nc: this.nc, store: this.store, rules: DEFAULT_RULE_SET, logger: process.env.SWITCHYARD_TEST_LOG === undefined ? silentLogger() : createLogger('test-engine', process.env.SWITCHYARD_TEST_LOG), now: () => this.clock, timerIntervalMs: 3_600_000, ...this.engineOptions });
  }
}

import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../logging.ts';
import { encode } from '../transport/codec.ts';
import { MESSAGE_VERSION } from '../transport/messages.ts';
import { subjects } from '../transport/subjects.ts';
import { publishWithRetry } from '../transport/publishWithRetry.ts';

/** Options for `HeartbeatMonitor`. */
export interface HeartbeatMonitorOptions {
  nc: NatsConnection;
  logger: Logger;
  /** Silence after which a node is taken offline, in ms. Default 15,000. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Watches node agents' heartbeats. A node whose agent falls silent for `timeoutMs` is taken
 * offline through a `node.status` command, so its open work is rerouted. When heartbeats come
 * back, it is taken online again. Nodes that never sent a heartbeat are not watched.
 */
export class HeartbeatMonitor {
  private readonly lastSeen = new Map<string, number>();
  private readonly silenced = new Set<string>();
  private readonly subscription: Subscription;
  private readonly timer: NodeJS.Timeout;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: HeartbeatMonitorOptions) {
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.now = options.now ?? Date.now;
    this.subscription = options.nc.subscribe(subjects.heartbeatsAll, {
      callback: (error, message) => {
        if (error !== null) return;
        const nodeId = message.subject.split('.')[2] ?? '';
        this.lastSeen.set(nodeId, this.now());
        if (this.silenced.delete(nodeId)) this.setStatus(nodeId, 'online', 'heartbeat resumed');
      },
    });
    this.timer = setInterval(() => this.check(), Math.max(100, Math.floor(this.timeoutMs / 3)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.subscription.unsubscribe();
  }

  private check(): void {
    const now = this.now();
    for (const [nodeId, seen] of this.lastSeen) {
      if (this.silenced.has(nodeId) || now - seen < this.timeoutMs) continue;
      this.silenced.add(nodeId);
      this.setStatus(nodeId, 'offline', `no heartbeat for ${now - seen} ms`);
    }
  }

  private setStatus(nodeId: string, status: 'online' | 'offline', why: string): void {
    const key = `heartbeat:${nodeId}:${status}:${this.lastSeen.get(nodeId) ?? 0}`;
    this.options.logger.warn({ nodeId, status, why }, 'node status changed by heartbeat monitor');
    publishWithRetry(jetstream(this.options.nc), subjects.nodeCommand(nodeId, 'status'), encode({ type: 'node.status', v: MESSAGE_VERSION, key, nodeId, status }), key)
      .catch((error: unknown) => this.options.logger.error({ nodeId, err: error }, 'publishing a heartbeat status change failed'));
  }
}

import type { NatsConnection } from '@nats-io/transport-node';
import { NodeAgent } from '../actors/nodeAgent.ts';
import type { Logger } from '../logging.ts';
import type { WorkOrder } from '../transport/messages.ts';

const HOUR = 3_600_000;

/** Options for `startSimulatedAgents`. */
export interface SimulationOptions {
  nc: NatsConnection;
  nodeIds: readonly string[];
  logger: Logger;
  /** Simulated milliseconds per real millisecond; 3,600 turns an hour into one second. */
  speedup: number;
  /** Share of allocations an agent rejects (0 to 1), for rerouting. Default 0.02. */
  rejectRate?: number;
}

/** Simulated node agents, all running on the embeddable `NodeAgent` library. */
export interface Simulation {
  /** Shipments in progress whose next step is scheduled. */
  readonly inFlight: number;
  /** Reports that failed to publish. */
  readonly failures: number;
  stop(): Promise<void>;
}

/**
 * Starts one simulated agent per node. Each picks, packs, ships and delivers its work
 * after delays in simulated time (picking 1-4 h, packing 0.5 h, hand-over 1-3 h, delivery
 * 1-3 days), scaled by `speedup`, and rejects a deterministic share of allocations.
 */
export async function startSimulatedAgents(options: SimulationOptions): Promise<Simulation> {
  const timers = new Map<string, NodeJS.Timeout>();
  const agents: NodeAgent[] = [];
  const rejectRate = options.rejectRate ?? 0.02;
  let failures = 0;
  let stopped = false;

  const later = (allocationId: string, simulatedMs: number, step: () => Promise<void>, next?: () => void): void => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(allocationId);
      step().then(
        () => next?.(),
        (error: unknown) => {
          failures++;
          options.logger.error({ allocationId, err: error }, 'simulated agent report failed');
        },
      );
    }, Math.max(1, Math.round(simulatedMs / options.speedup)));
    timers.set(allocationId, timer);
  };

  const onWork = (work: WorkOrder, agent: NodeAgent): void => {
    const id = work.allocationId;
    const roll = unitHash(id);
    agent.accept(id).catch((error: unknown) => {
      failures++;
      options.logger.error({ allocationId: id, err: error }, 'simulated agent acknowledgement failed');
    });
    if (roll < rejectRate) {
      later(id, 0.25 * HOUR, () => agent.reject(id, 'damaged_stock', `simulated agent at ${agent.nodeId} found the stock damaged`));
      return;
    }
    const carrier = work.shipTo?.country === 'GB' ? 'Royal Mail' : 'DHL Express';
    const trackingNumber = `SY${Math.floor(unitHash(`${id}#t`) * 1e10).toString().padStart(10, '0')}${work.shipTo?.country ?? 'XX'}`;
    later(id, (1 + 3 * roll) * HOUR, () => agent.picked(id), () =>
      later(id, 0.5 * HOUR, () => agent.packed(id), () =>
        later(id, (1 + 2 * unitHash(`${id}#h`)) * HOUR, () => agent.shipped(id, { carrier, trackingNumber }), () =>
          later(id, (24 + 48 * unitHash(`${id}#d`)) * HOUR, () => agent.delivered(id)),
        ),
      ),
    );
  };

  const onCancel = (work: WorkOrder): void => {
    if (work.whole !== true) return;
    const timer = timers.get(work.allocationId);
    if (timer === undefined) return;
    clearTimeout(timer);
    timers.delete(work.allocationId);
  };

  for (const nodeId of options.nodeIds) {
    agents.push(await NodeAgent.start({ nc: options.nc, nodeId, onWork, onCancel, logger: options.logger }));
  }

  return {
    get inFlight() {
      return timers.size;
    },
    get failures() {
      return failures;
    },
    stop: async () => {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.all(agents.map((agent) => agent.stop()));
    },
  };
}

/** Deterministic number in [0, 1) from a string (FNV-1a). */
export function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

import * as hdr from 'hdr-histogram-js';
import type { OrderStatus } from '../domain/status.ts';

/** Counters and latency histograms the engine keeps about its own work. */
export class EngineMetrics {
  /** Sourcing decision time in nanoseconds. */
  readonly decisionNanos = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: 3 });
  readonly statusCounts = new Map<OrderStatus, number>();
  readonly rejectedCommands = new Map<string, number>();
  readonly invalidMessages = new Map<string, number>();
  shipmentsPlanned = 0;
  distanceKmTotal = 0;
  commandsApplied = 0;
  duplicatesSkipped = 0;
  batches = 0;

  recordStatus(_orderId: string, status: OrderStatus, _previous: OrderStatus | undefined, _reason: string | undefined): void {
    this.statusCounts.set(status, (this.statusCounts.get(status) ?? 0) + 1);
  }

  recordSourced(effect: { shipments: number; distanceKm: number[] }): void {
    this.shipmentsPlanned += effect.shipments;
    for (const km of effect.distanceKm) this.distanceKmTotal += km;
  }

  recordRejectedCommand(command: string, _reason: string): void {
    this.rejectedCommands.set(command, (this.rejectedCommands.get(command) ?? 0) + 1);
  }

  recordInvalid(kind: string): void {
    this.invalidMessages.set(kind, (this.invalidMessages.get(kind) ?? 0) + 1);
  }

  recordDecision(nanos: number): void {
    this.decisionNanos.recordValue(Math.max(1, Math.round(nanos)));
  }
}

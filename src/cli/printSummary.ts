import Table from 'cli-table3';
import type { DemoSummary } from '../demo/summary.ts';

/** Renders the demo summary as a two-column table. */
export function formatSummary(summary: DemoSummary): string {
  const table = new Table({ head: ['figure', 'value'], style: { head: [], border: [] } });
  const rows: [string, string | number][] = [
    ['orders received', summary.ordersReceived],
    ['accepted', summary.ordersAccepted],
    ['rejected', summary.ordersRejected],
    ...Object.entries(summary.rejectedByReason).map(([reason, count]): [string, number] => [`  rejected: ${reason}`, count]),
    ['lines rejected in accepted orders', summary.linesRejected],
    ['shipped from one node', summary.allocatedInOneShipment],
    ['split (shipped from several nodes)', summary.split],
    ...Object.entries(summary.splitByShipments).map(([shipments, count]): [string, number] => [`  into ${shipments} shipments`, count]),
    ['backordered (waiting)', summary.backordered],
    ['cancelled', summary.cancelled],
    ['shipped (not yet delivered)', summary.shipped],
    ['delivered', summary.delivered],
    ['cancellation invoices applied / rejected by the engine / unmatched', `${summary.cancellations.published - summary.cancellations.rejected} / ${summary.cancellations.rejected} / ${summary.cancellations.unmatched}`],
    ['allocations rerouted after a node rejected them', summary.reroutedAllocations],
    ['restock receipts posted', summary.receiptsPublished],
    ['mean distance per shipment (km)', summary.meanDistanceKmPerShipment],
    ['sourcing decision p50 / p99 (µs)', `${fixed(summary.sourcingDecisionMicros.p50)} / ${fixed(summary.sourcingDecisionMicros.p99)}`],
    ['placed to allocated p50 / p99 (ms)', `${fixed(summary.placedToAllocatedMillis.p50)} / ${fixed(summary.placedToAllocatedMillis.p99)}`],
    ['check: orders not settled', summary.checks.ordersNotSettled],
    ['check: lines not conserved', summary.checks.linesNotConserved],
    ['check: negative stock rows', summary.checks.negativeInventoryRows],
  ];
  for (const row of rows) table.push(row);
  return table.toString();
}

function fixed(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

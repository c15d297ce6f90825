import type { NatsConnection } from '@nats-io/transport-node';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { readSettings } from '../../config/settings.ts';
import { UNIT_SCALE, type Unit } from '../../domain/order.ts';
import { createLogger } from '../../logging.ts';
import { queryOrder, type OrderView } from '../../packing/orderQuery.ts';
import { formatQuantity } from '../../packing/packingSlip.ts';
import { connectNats } from '../../transport/connection.ts';

/** Adds `switchyard status ORDER_ID`: an order's status, lines, allocations and timeline. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("print an order's status, lines, allocations and timeline, as the engine holds them (needs NATS_URL)")
    .argument('<orderId>', 'order id as the shop assigned it')
    .action(async (orderId: string) => {
      const view = await withEngineConnection('switchyard-status', (nc) => queryOrder(nc, orderId));
      process.stdout.write(formatOrderStatus(view));
    });
}

/**
 * Connects to `NATS_URL`, runs `action` and closes the connection. Throws an error naming
 * `NATS_URL` when it is unset.
 */
export async function withEngineConnection<T>(name: string, action: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const settings = readSettings();
  if (settings.NATS_URL === undefined) throw new Error('NATS_URL is not set; expected the URL of the server the engine uses, such as nats://127.0.0.1:4222');
  const nc = await connectNats({ url: settings.NATS_URL, name, logger: createLogger(name, settings.SWITCHYARD_LOG_LEVEL) });
  try {
    return await action(nc);
  } finally {
    await nc.close();
  }
}

/** Formats an order query reply for a terminal; line quantities are shown in each line's unit. */
export function formatOrderStatus(view: OrderView): string {
  const out: string[] = [`Order ${view.orderId}: ${view.status}`];
  if (view.order !== undefined) out.push(`Placed ${view.order.placedAt} (source ${view.order.source}, ${view.order.lines.length} lines)`);
  if (view.rejection !== undefined) out.push(`Rejected: ${view.rejection}`);
  if (view.holdReason !== undefined) out.push(`On hold: ${view.holdReason}`);

  const units = new Map<string, Unit>(view.lines.map((line) => [line.lineId, line.unit]));
  const inUnit = (lineId: string, steps: number): string => formatQuantity(steps / UNIT_SCALE[units.get(lineId) ?? 'each']);

  out.push('', 'Lines');
  const lines = newTable(['line', 'sku', 'unit', 'ordered', 'cancelled', 'backordered', 'shipped', 'delivered', 'note']);
  for (const line of view.lines) {
    const quantities = [line.ordered, line.cancelled, line.backordered, line.shipped, line.delivered].map((steps) => inUnit(line.lineId, steps));
    lines.push([line.lineId, line.sku, line.unit, ...quantities, line.invalid ?? line.backorderReason ?? '']);
  }
  out.push(lines.toString());

  out.push('', 'Allocations');
  if (view.allocations.length === 0) {
    out.push('  (none)');
  } else {
    const allocations = newTable(['allocation', 'node', 'status', 'carrier', 'tracking', 'lines', 'reason']);
    for (const allocation of view.allocations) {
      const allocated = allocation.lines.map((line) => `${line.sku} x${inUnit(line.lineId, line.quantity)}`).join(', ');
      const reason = [allocation.code, allocation.reason].filter((part) => part !== undefined).join(': ');
      allocations.push([allocation.allocationId, allocation.nodeId, allocation.status, allocation.carrier ?? '', allocation.trackingNumber ?? '', allocated, reason]);
    }
    out.push(allocations.toString());
  }

  out.push('', 'Timeline');
  for (const entry of view.timeline) out.push(`  ${entry.at}  ${entry.what}${entry.detail === undefined ? '' : `  ${entry.detail}`}`);
  return `${out.join('\n')}\n`;
}

function newTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } });
}

import { InvalidArgumentError, type Command } from 'commander';
import { TERMINAL_STATUSES } from '../../domain/status.ts';
import type { OrderView } from '../../packing/orderQuery.ts';
import { queryOrder } from '../../packing/orderQuery.ts';
import { buildPackingSlip, buildPackingSlips, SHIPMENT_STATUSES, type PackingSlip } from '../../packing/packingSlip.ts';
import { renderPackingSlipsHtml } from '../../packing/renderHtml.ts';
import { renderPackingSlipsText } from '../../packing/renderText.ts';
import { withEngineConnection } from './status.ts';

/** Output formats of `switchyard packing-slip`. */
const SLIP_FORMATS = ['text', 'html'] as const;
type SlipFormat = (typeof SLIP_FORMATS)[number];

/** Adds `switchyard packing-slip ORDER_ID`: one packing slip per shipment of an order. */
export function registerPackingSlip(program: Command): void {
  program
    .command('packing-slip')
    .description('print the packing slips of an order, one per shipment that a node accepted (needs NATS_URL)')
    .argument('<orderId>', 'order id as the shop assigned it')
    .option('--format <format>', `output format: ${SLIP_FORMATS.join(' or ')}`, slipFormat, 'text')
    .option('--allocation <id>', 'print only the slip of this allocation')
    .action(async (orderId: string, options: { format: SlipFormat; allocation?: string }) => {
      const view = await withEngineConnection('switchyard-packing-slip', (nc) => queryOrder(nc, orderId));
      const slips = selectSlips(view, options.allocation);
      process.stdout.write(options.format === 'html' ? renderPackingSlipsHtml(slips) : renderPackingSlipsText(slips));
    });
}

/**
 * Builds the slips of an order query reply: every shipment, or only `allocationId`. Throws when
 * the reply has no placed order, the allocation is unknown or not a shipment, or nothing ships yet.
 */
export function selectSlips(view: OrderView, allocationId?: string): PackingSlip[] {
  const { order } = view;
  if (order === undefined) throw new Error(`order ${view.orderId} is ${view.status} and has no placed order to print; ${view.rejection ?? 'no reason was recorded'}`);

  if (allocationId !== undefined) {
    const allocation = view.allocations.find((candidate) => candidate.allocationId === allocationId);
    if (allocation === undefined) {
      const known = view.allocations.map((candidate) => candidate.allocationId).join(', ') || 'none';
      throw new Error(`allocation ${allocationId} was not found on order ${view.orderId}; its allocations: ${known}`);
    }
    return [buildPackingSlip(order, allocation)];
  }

  const slips = buildPackingSlips(order, view.allocations);
  if (slips.length === 0) {
    const when = TERMINAL_STATUSES.has(view.status) ? '' : ' yet';
    throw new Error(`order ${view.orderId} is ${view.status} and has no shipment${when}; a packing slip needs an allocation that is ${SHIPMENT_STATUSES.join(', ')}`);
  }
  return slips;
}

function slipFormat(value: string): SlipFormat {
  const format = SLIP_FORMATS.find((candidate) => candidate === value);
  if (format === undefined) throw new InvalidArgumentError(`"${value}" is not a slip format; expected ${SLIP_FORMATS.join(' or ')}`);
  return format;
}

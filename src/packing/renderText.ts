import { addressLines, type AddressLine } from './addressLines.ts';
import { formatQuantity, type PackingSlip } from './packingSlip.ts';

/** Line printed between two slips in one text output. */
export const SLIP_SEPARATOR = '-'.repeat(72);

/**
 * Renders a packing slip as plain text for a terminal or a receipt printer. Names, addresses
 * and descriptions are printed exactly as the order carries them. Description comes last on
 * each line, so wide characters (Hangul, CJK) cannot push the other columns out of line.
 */
export function renderPackingSlipText(slip: PackingSlip): string {
  const header: [string, string][] = [
    ['Order', slip.orderId],
    ['Placed', slip.placedDate],
    ['Shipment', slip.allocationId],
    ['Node', slip.nodeId],
    ['Status', slip.status],
  ];
  if (slip.carrier !== undefined) header.push(['Carrier', slip.carrier]);
  if (slip.trackingNumber !== undefined) header.push(['Tracking', slip.trackingNumber]);

  const out: string[] = ['PACKING SLIP', ''];
  for (const [label, value] of header) out.push(`${label.padEnd(10)}${value}`);

  out.push('', 'Ship to');
  for (const line of addressLines(slip.shipTo)) out.push(`  ${textOf(line)}`);

  out.push('', ...lineTable(slip));
  return `${out.join('\n')}\n`;
}

/** Renders several slips as one text, separated by `SLIP_SEPARATOR`. */
export function renderPackingSlipsText(slips: readonly PackingSlip[]): string {
  return slips.map(renderPackingSlipText).join(`${SLIP_SEPARATOR}\n`);
}

function lineTable(slip: PackingSlip): string[] {
  const rows = slip.lines.map((line) => [formatQuantity(line.quantity), line.unit, line.sku, line.description ?? '']);
  const head = ['Qty', 'Unit', 'SKU', 'Description'];
  const widths = [0, 1, 2].map((column) => Math.max(head[column]?.length ?? 0, ...rows.map((row) => [...(row[column] ?? '')].length)));

  const format = (row: string[]): string => {
    const [quantity = '', unit = '', sku = '', description = ''] = row;
    const cells = [padStart(quantity, widths[0] ?? 0), padEnd(unit, widths[1] ?? 0), padEnd(sku, widths[2] ?? 0), description];
    return cells.join('  ').trimEnd();
  };
  return [format(head), ...rows.map(format)];
}

function textOf(line: AddressLine): string {
  return line.parts.join(' ');
}

/** Pads by code points, so that an accented SKU is not cut short. */
function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - [...text].length)) + text;
}

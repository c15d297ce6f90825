import { addressLines } from './addressLines.ts';
import { formatQuantity, type PackingSlip } from './packingSlip.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and quoted attribute values. Only `& < > " '` change;
 * every other character, in any script, is kept as it is, so the document must be served as
 * UTF-8 (it declares `<meta charset="utf-8">`).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** Renders one packing slip as an HTML `<section>` (a fragment; see `renderPackingSlipsHtml`). */
export function renderPackingSlipHtml(slip: PackingSlip): string {
  const facts: [string, string][] = [
    ['Order', slip.orderId],
    ['Placed', slip.placedDate],
    ['Shipment', slip.allocationId],
    ['Node', slip.nodeId],
    ['Status', slip.status],
  ];
  if (slip.carrier !== undefined) facts.push(['Carrier', slip.carrier]);
  if (slip.trackingNumber !== undefined) facts.push(['Tracking', slip.trackingNumber]);

  const address = addressLines(slip.shipTo)
    .map((line) => `      <div class="${line.kind}">${escapeHtml(line.parts.join(' '))}</div>`)
    .join('\n');
  const rows = slip.lines
    .map(
      (line) =>
        `      <tr><td class="qty">${escapeHtml(formatQuantity(line.quantity))}</td><td>${escapeHtml(line.unit)}</td>` +
        `<td>${escapeHtml(line.sku)}</td><td>${escapeHtml(line.description ?? '')}</td></tr>`,
    )
    .join('\n');

  return [
    `  <section class="slip" data-allocation="${escapeHtml(slip.allocationId)}">`,
    '    <h1>Packing slip</h1>',
    '    <dl>',
    ...facts.map(([label, value]) => `      <dt>${label}</dt><dd>${escapeHtml(value)}</dd>`),
    '    </dl>',
    '    <h2>Ship to</h2>',
    '    <address>',
    address,
    '    </address>',
    '    <table>',
    '      <thead><tr><th>Qty</th><th>Unit</th><th>SKU</th><th>Description</th></tr></thead>',
    '      <tbody>',
    rows,
    '      </tbody>',
    '    </table>',
    '  </section>',
  ].join('\n');
}

/** Renders slips as one printable UTF-8 HTML document, one slip per printed page. */
export function renderPackingSlipsHtml(slips: readonly PackingSlip[]): string {
  const title = slips[0] === undefined ? 'Packing slips' : `Packing slips for order ${slips[0].orderId}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '  <meta charset="utf-8">',
    `  <title>${escapeHtml(title)}</title>`,
    '  <style>',
    '    body { font-family: system-ui, sans-serif; margin: 2em; }',
    '    .slip { break-after: page; }',
    '    dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }',
    '    dd { margin: 0; }',
    '    address { font-style: normal; margin-bottom: 1em; }',
    '    table { border-collapse: collapse; }',
    '    th, td { text-align: left; padding: 0.2em 0.8em; border-bottom: 1px solid #ccc; }',
    '    td.qty { text-align: right; }',
    '  </style>',
    '</head>',
    '<body>',
    ...slips.map(renderPackingSlipHtml),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

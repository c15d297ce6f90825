import { describe, expect, it } from 'vitest';
import { geocodeCity } from '../../src/data/geo.ts';
import type { Allocation } from '../../src/machines/orderState.ts';
import { createShopifyCsvAdapter } from '../../src/publish/adapters/shopifyCsv.ts';
import { buildPackingSlip, buildPackingSlips, formatQuantity, type SlipOrder } from '../../src/packing/packingSlip.ts';
import { escapeHtml, renderPackingSlipHtml, renderPackingSlipsHtml } from '../../src/packing/renderHtml.ts';
import { renderPackingSlipText, renderPackingSlipsText, SLIP_SEPARATOR } from '../../src/packing/renderText.ts';
import { orderOf, readFixture } from '../publish/fixtures.ts';

/** The Seoul order of the Shopify CSV fixture, exactly as the adapter returns it. */
function seoulOrder(): SlipOrder {
  const records = createShopifyCsvAdapter({ geocode: geocodeCity }).parse(readFixture('shopify_orders_export_3_orders.csv'));
  return orderOf(records.find((record) => record.kind === 'order' && record.order.orderId === '9007199254740993'));
}

function allocation(fields: Partial<Allocation> = {}): Allocation {
  return {
    allocationId: '9007199254740993-1-seoul-dc',
    nodeId: 'seoul-dc',
    lines: [{ lineId: '1', sku: 'HANJI-A5-03', quantity: 1 }],
    status: 'shipped',
    carrier: 'CJ Logistics',
    trackingNumber: 'CJ123456789KR',
    ...fields,
  };
}

/** Checks that `text` contains `value` as the same UTF-8 bytes. */
function expectBytes(text: string, value: string): void {
  expect(Buffer.from(text, 'utf8').includes(Buffer.from(value, 'utf8')), `missing ${value}`).toBe(true);
}

const SEOUL_TEXTS = ['김서연', 'Café Ñandú Korea', '테헤란로 152', '강남파이낸스센터 Nº 1204', 'Seoul KR-11 06236', '한지 노트북 A5 – Édition Nº 3'];

describe('buildPackingSlip', () => {
  it('takes ship-to fields from the order', () => {
    const slip = buildPackingSlip(seoulOrder(), allocation());

    expect(slip.shipTo).toEqual({ name: '김서연', company: 'Café Ñandú Korea', line1: '테헤란로 152', line2: '강남파이낸스센터 Nº 1204', city: 'Seoul', region: 'KR-11', postalCode: '06236', country: 'KR' });
    expect(slip.orderId).toBe('9007199254740993');
    expect(slip.placedDate).toBe('2024-03-02');
    expect(slip.nodeId).toBe('seoul-dc');
  });

  it('describes lines from the order', () => {
    const slip = buildPackingSlip(seoulOrder(), allocation());

    expect(slip.lines).toEqual([{ lineId: '1', sku: 'HANJI-A5-03', description: '한지 노트북 A5 – Édition Nº 3', quantity: 1, unit: 'each' }]);
  });

  it('converts unit steps to the line unit', () => {
    const order: SlipOrder = { ...seoulOrder(), lines: [{ lineId: '1', sku: 'RICE-KG', unit: 'kg', description: 'Rice' }] };

    const slip = buildPackingSlip(order, allocation({ lines: [{ lineId: '1', sku: 'RICE-KG', quantity: 1500 }] }));

    expect(slip.lines[0]?.quantity).toBe(1.5);
    expect(slip.lines[0]?.unit).toBe('kg');
    expect(renderPackingSlipText(slip)).toMatch(/^1\.5 {2}kg {4}RICE-KG {2}Rice$/m);
  });

  it('prints the carrier once shipped', () => {
    const slip = buildPackingSlip(seoulOrder(), allocation());

    expect(slip.carrier).toBe('CJ Logistics');
    expect(slip.trackingNumber).toBe('CJ123456789KR');
  });

  it('omits the carrier before shipping', () => {
    const slip = buildPackingSlip(seoulOrder(), allocation({ status: 'packed' }));

    expect(slip.carrier).toBeUndefined();
    expect(slip.trackingNumber).toBeUndefined();
    expect(renderPackingSlipText(slip)).not.toContain('Tracking');
  });

  it.each(['requested', 'rejected', 'cancelled'] as const)('rejects a %s allocation', (status) => {
    expect(() => buildPackingSlip(seoulOrder(), allocation({ status }))).toThrow(`is ${status}; expected one of accepted, picked, packed, shipped, delivered`);
  });

  it('rejects a line the order lacks', () => {
    const unknownLine = allocation({ lines: [{ lineId: '9', sku: 'HANJI-A5-03', quantity: 1 }] });

    expect(() => buildPackingSlip(seoulOrder(), unknownLine)).toThrow('lists line 9, which order 9007199254740993 does not have');
  });
});

describe('buildPackingSlips', () => {
  it('makes one slip per shipment', () => {
    const allocations = [
      allocation({ allocationId: 'a-rejected', status: 'rejected' }),
      allocation({ allocationId: 'a-accepted', status: 'accepted' }),
      allocation({ allocationId: 'a-requested', status: 'requested' }),
      allocation({ allocationId: 'a-delivered', status: 'delivered' }),
      allocation({ allocationId: 'a-cancelled', status: 'cancelled' }),
    ];

    const slips = buildPackingSlips(seoulOrder(), allocations);

    expect(slips.map((slip) => slip.allocationId)).toEqual(['a-accepted', 'a-delivered']);
  });
});

describe('renderPackingSlipText', () => {
  it('keeps non-ASCII text byte for byte', () => {
    const text = renderPackingSlipText(buildPackingSlip(seoulOrder(), allocation()));

    for (const value of SEOUL_TEXTS) expectBytes(text, value);
  });

  it('keeps decomposed accents as sent', () => {
    const name = 'Hélène Núñez'.normalize('NFD');
    const order = seoulOrder();
    const text = renderPackingSlipText(buildPackingSlip({ ...order, destination: { ...order.destination, name } }, allocation()));

    expectBytes(text, name);
    expect(text.includes('Hélène'.normalize('NFC'))).toBe(false);
  });

  it('lays out the slip', () => {
    const text = renderPackingSlipText(buildPackingSlip(seoulOrder(), allocation()));

    expect(text).toBe(
      [
        'PACKING SLIP',
        '',
        'Order     9007199254740993',
        'Placed    2024-03-02',
        'Shipment  9007199254740993-1-seoul-dc',
        'Node      seoul-dc',
        'Status    shipped',
        'Carrier   CJ Logistics',
        'Tracking  CJ123456789KR',
        '',
        'Ship to',
        '  김서연',
        '  Café Ñandú Korea',
        '  테헤란로 152',
        '  강남파이낸스센터 Nº 1204',
        '  Seoul KR-11 06236',
        '  South Korea (KR)',
        '',
        'Qty  Unit  SKU          Description',
        '  1  each  HANJI-A5-03  한지 노트북 A5 – Édition Nº 3',
        '',
      ].join('\n'),
    );
  });

  it('separates several slips', () => {
    const slips = buildPackingSlips(seoulOrder(), [allocation({ allocationId: 'a-1' }), allocation({ allocationId: 'a-2' })]);

    const text = renderPackingSlipsText(slips);

    expect(text.split(`${SLIP_SEPARATOR}\n`)).toHaveLength(2);
    expect(text).toContain('Shipment  a-1');
    expect(text).toContain('Shipment  a-2');
  });
});

describe('renderPackingSlipHtml', () => {
  const hostile = '<script>alert("x")</script> & \'Co\'';

  it('escapes markup in every field', () => {
    const order = seoulOrder();
    const withMarkup: SlipOrder = {
      ...order,
      destination: { ...order.destination, name: hostile, company: hostile, line1: hostile },
      lines: [{ lineId: '1', sku: 'HANJI-A5-03', description: hostile }],
    };

    const html = renderPackingSlipsHtml([buildPackingSlip(withMarkup, allocation({ carrier: hostile }))]);

    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;');
  });

  it('keeps non-ASCII text byte for byte', () => {
    const html = renderPackingSlipsHtml([buildPackingSlip(seoulOrder(), allocation())]);

    for (const value of SEOUL_TEXTS) expectBytes(html, value);
    expect(html).toContain('<meta charset="utf-8">');
  });

  it('puts each slip in its own section', () => {
    const slips = buildPackingSlips(seoulOrder(), [allocation({ allocationId: 'a-1' }), allocation({ allocationId: 'a-2' })]);

    const html = renderPackingSlipsHtml(slips);

    expect(html.match(/<section class="slip"/g)).toHaveLength(2);
    expect(renderPackingSlipHtml(slips[0]!)).toContain('data-allocation="a-1"');
  });
});

describe('escapeHtml', () => {
  it('escapes the five markup characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('leaves other text alone', () => {
    expect(escapeHtml('김서연 Nº 3 – é')).toBe('김서연 Nº 3 – é');
  });
});

describe('formatQuantity', () => {
  it.each([
    [1, '1'],
    [1.5, '1.5'],
    [0.125, '0.125'],
    [2.0004, '2'],
  ])('formats %s as %s', (quantity, text) => {
    expect(formatQuantity(quantity)).toBe(text);
  });
});

import { describe, expect, it } from 'vitest';
import { InputFormatError } from '../../src/publish/adapters/errors.ts';
import { createJsonlAdapter } from '../../src/publish/adapters/jsonl.ts';
import { onlyRecord, orderOf, rejectionReason } from './fixtures.ts';

const adapter = createJsonlAdapter();

const ORDER = {
  orderId: 'W-1001',
  placedAt: '2024-03-02T21:04:10+09:00',
  currency: 'KRW',
  customer: { name: 'Hélène Núñez-Côté', tags: ['vip'] },
  destination: { name: '김서연', line1: '테헤란로 152, Nº 1204', city: 'Seoul', country: 'KR', lat: 37.566, lon: 126.978 },
  lines: [{ lineId: '1', sku: 'HANJI-A5-03', quantity: 2, unitPriceMinor: 45000 }],
};

function reasonOf(text: string): string {
  const record = onlyRecord(adapter.parse(text));
  return rejectionReason(record);
}

describe('jsonl', () => {
  it('parses one order per line', () => {
    const text = `${JSON.stringify(ORDER)}\n\n${JSON.stringify({ ...ORDER, orderId: 'W-1002' })}\n`;
    const records = adapter.parse(text);
    expect(records.map((record) => `${record.recordId} ${record.kind}`)).toEqual(['line 1 order', 'line 3 order']);
    const order = orderOf(records[0]);
    expect(order?.orderId).toBe('W-1001');
    expect(order?.lines[0]).toEqual({ lineId: '1', sku: 'HANJI-A5-03', quantity: 2, unit: 'each', unitPriceMinor: 45000 });
    expect(order?.source).toBe('api');
  });

  it('keeps non-ASCII text byte for byte', () => {
    const name = 'Hélène Núñez'.normalize('NFD');
    const record = onlyRecord(adapter.parse(JSON.stringify({ ...ORDER, customer: { name, tags: [] } })));
    const order = orderOf(record);
    expect(Buffer.from(order?.customer?.name ?? '').equals(Buffer.from(name))).toBe(true);
    expect(order?.destination.name).toBe('김서연');
    expect(order?.destination.line1).toBe('테헤란로 152, Nº 1204');
  });

  it('accepts CRLF line ends', () => {
    const text = `${JSON.stringify(ORDER)}\r\n${JSON.stringify(ORDER)}\r\n`;
    expect(adapter.parse(text).map((record) => record.kind)).toEqual(['order', 'order']);
  });

  it('lists every schema issue', () => {
    const line = JSON.stringify({ ...ORDER, currency: 'krw', lines: [{ lineId: '1', sku: 'A', quantity: 1, unitPriceMinor: 12.5 }] });
    expect(reasonOf(`\n${line}`)).toBe(
      [
        'line 2: currency: expected an ISO 4217 currency code such as "GBP" ("krw")',
        'line 2: lines[0].unitPriceMinor: expected an integer amount in minor units (12.5)',
      ].join('\n'),
    );
  });

  it('reports a missing field', () => {
    const withoutTime: Partial<typeof ORDER> = { ...ORDER };
    delete withoutTime.placedAt;
    expect(reasonOf(JSON.stringify(withoutTime))).toMatch(/^line 1: placedAt: .* \(missing\)$/);
  });

  it('reports a field of the wrong type', () => {
    expect(reasonOf(JSON.stringify({ ...ORDER, lines: 'HANJI-A5-03' }))).toMatch(/^line 1: lines: .*expected array.* \("HANJI-A5-03"\)$/);
  });

  it('rejects a 64-bit numeric id with its digits', () => {
    const line = JSON.stringify(ORDER).replace('"W-1001"', '820982911946154508');
    expect(reasonOf(line)).toBe(
      'line 1: orderId: number too large to hold exactly; expected ids as strings and integers within 2^53 (820982911946154508)',
    );
  });

  it('rejects a truncated line only', () => {
    const full = JSON.stringify(ORDER);
    const records = adapter.parse(`${full}\n${full.slice(0, 40)}`);
    expect(records.map((record) => record.kind)).toEqual(['order', 'rejected']);
    expect(rejectionReason(records[1])).toMatch(/^line 2: \(root\): invalid JSON: .* column 41$/);
  });

  it('rejects a line that is not an object', () => {
    expect(reasonOf('["W-1001"]')).toBe('line 1: (root): expected a JSON object with one order (["W-1001"])');
  });

  it('throws on an empty file', () => {
    expect(() => adapter.parse('')).toThrow(InputFormatError);
    expect(() => adapter.parse('\n  \n')).toThrow('jsonl: input is empty; expected one JSON order object per line');
  });
});

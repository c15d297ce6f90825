import { describe, expect, it } from 'vitest';
import { mapUciHeader, parsePriceMinor, parseUciDate, parseUciRow, UCI_COLUMNS } from '../../src/data/uciRow.ts';

const columns = mapUciHeader([...UCI_COLUMNS], 'test.csv');
const row = (overrides: Partial<Record<(typeof UCI_COLUMNS)[number], string>> = {}) => {
  const values = {
    InvoiceNo: '536365',
    StockCode: '85123A',
    Description: 'WHITE HANGING HEART T-LIGHT HOLDER',
    Quantity: '6',
    InvoiceDate: '2010-12-01 08:26:00',
    UnitPrice: '2.55',
    CustomerID: '17850.0',
    Country: 'United Kingdom',
    ...overrides,
  };
  return UCI_COLUMNS.map((column) => values[column]);
};

describe('parsePriceMinor', () => {
  it.each([
    ['2.55', 255],
    ['18.0', 1800],
    ['0', 0],
    ['0.001', 0],
    ['0.005', 1],
    ['1.005', 101],
    ['-0.125', -13],
    ['-11062.06', -1106206],
    ['.5', 50],
  ])('converts %s to %i pence', (text, pence) => {
    expect(parsePriceMinor(text)).toBe(pence);
  });

  it.each(['', 'abc', '1e3', '2,55'])('rejects %j', (text) => {
    expect(parsePriceMinor(text)).toBeUndefined();
  });
});

describe('parseUciDate', () => {
  it('reads both date layouts', () => {
    const expected = { year: 2010, month: 12, day: 1, hour: 8, minute: 26, second: 0 };
    expect(parseUciDate('2010-12-01 08:26:00')).toEqual(expected);
    expect(parseUciDate('12/1/2010 8:26')).toEqual(expected);
  });

  it.each(['2010-13-01 08:26:00', '2011-02-29 10:00', '2010-12-01 24:00', '01.12.2010 08:26', ''])('rejects %j', (text) => {
    expect(parseUciDate(text)).toBeUndefined();
  });
});

describe('parseUciRow', () => {
  it('parses a row', () => {
    const parsed = parseUciRow(row(), columns, 'test.csv line 2');
    expect(parsed).toMatchObject({ ok: true, row: { invoiceNo: '536365', quantity: 6, unitPriceMinor: 255, customerId: '17850', localDate: '2010-12-01' } });
  });

  it('treats an empty CustomerID as a guest', () => {
    const parsed = parseUciRow(row({ CustomerID: '' }), columns, 'here');
    expect(parsed.ok).toBe(true);
    expect(parsed.ok ? parsed.row.customerId : 'not parsed').toBeUndefined();
  });

  it.each([
    [{ Quantity: 'six' }, 'Quantity "six" is not a number'],
    [{ UnitPrice: 'n/a' }, 'UnitPrice "n/a" is not a number'],
    [{ InvoiceDate: '2010-12-32 10:00' }, 'InvoiceDate "2010-12-32 10:00" is not a valid date'],
    [{ StockCode: ' ' }, 'StockCode is empty'],
    [{ Country: '' }, 'Country is empty'],
  ])('rejects %j naming the field', (overrides, message) => {
    const parsed = parseUciRow(row(overrides), columns, 'test.csv line 9');
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(message);
    expect(parsed.ok ? '' : parsed.reason).toContain('test.csv line 9');
    expect(parsed.ok ? '' : parsed.invoiceNo).toBe('536365');
  });

  it('rejects a row with a missing field', () => {
    const parsed = parseUciRow(row().slice(0, 7), columns, 'here');
    expect(parsed.ok ? '' : parsed.reason).toContain('row has 7 fields; expected 8');
  });

  it('rejects a header without a column', () => {
    expect(() => mapUciHeader(['InvoiceNo', 'StockCode'], 'bad.csv')).toThrow(/bad.csv: header is missing the columns Description/);
  });
});

import { describe, expect, it } from 'vitest';
import { FieldError } from '../../src/publish/adapters/errors.ts';
import { currencyDecimals, divideMinorUnits, toMinorUnits } from '../../src/publish/adapters/money.ts';

describe('currencyDecimals', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['CLF', 4],
    ['HUF', 2],
    ['IDR', 2],
  ])('%s has %i decimals', (currency, decimals) => {
    expect(currencyDecimals(currency)).toBe(decimals);
  });
});

describe('toMinorUnits', () => {
  it.each([
    ['19.99', 'USD', 1999],
    ['199', 'USD', 19900],
    ['0.1', 'USD', 10],
    ['45000', 'KRW', 45000],
    ['45000.00', 'KRW', 45000],
    ['1.234', 'KWD', 1234],
    ['1.5', 'KWD', 1500],
    ['-5.00', 'USD', -500],
    ['-0.001', 'USD', 0],
  ])('%s %s is %i', (amount, currency, expected) => {
    expect(toMinorUnits(amount, currency, 'price')).toBe(expected);
  });

  it.each([
    ['1.005', 'USD', 101],
    ['1.004', 'USD', 100],
    ['-1.005', 'USD', -101],
    ['2.5', 'JPY', 3],
    ['-2.5', 'JPY', -3],
    ['0.0005', 'KWD', 1],
  ])('rounds %s %s half away from zero to %i', (amount, currency, expected) => {
    expect(toMinorUnits(amount, currency, 'price')).toBe(expected);
  });

  it('accepts a JSON number', () => {
    expect(toMinorUnits(12.5, 'USD', 'price')).toBe(1250);
  });

  it('rejects text that is not a decimal', () => {
    expect(() => toMinorUnits('12,50', 'EUR', 'line_items[0].price')).toThrow(FieldError);
    expect(() => toMinorUnits('12,50', 'EUR', 'line_items[0].price')).toThrow(
      'line_items[0].price: "12,50" is invalid; expected a decimal amount such as "19.99"',
    );
  });

  it('rejects amounts beyond 2^53 minor units', () => {
    expect(() => toMinorUnits('90071992547409.93', 'USD', 'total')).toThrow('expected an amount below 2^53 minor units of USD');
  });
});

describe('divideMinorUnits', () => {
  it('rounds a third half away from zero', () => {
    expect(divideMinorUnits(1000, 3)).toBe(333);
    expect(divideMinorUnits(1001, 2)).toBe(501);
    expect(divideMinorUnits(-1001, 2)).toBe(-501);
  });
});

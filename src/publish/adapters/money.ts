import { FieldError } from './errors.ts';

/**
 * Currencies whose minor unit is not 2 decimals, from the minor unit column of ISO 4217 list one.
 * `Intl.NumberFormat` is not used because its CLDR data gives display digits, which differ from
 * ISO 4217 for some currencies: Node 20 returns 0 for HUF, IDR and IQD (ISO 4217: 2, 2 and 3).
 */
const NON_TWO_DECIMAL_CURRENCIES: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Returns the number of decimals in one major unit of an ISO 4217 currency: 2 unless listed otherwise. */
export function currencyDecimals(currency: string): number {
  return NON_TWO_DECIMAL_CURRENCIES[currency] ?? 2;
}

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/**
 * Converts a decimal amount in major units ("19.99", "45000", or a JSON number) to integer minor
 * units of `currency`. Digits beyond the currency's decimals are rounded half away from zero, on
 * the decimal text itself, so no binary floating-point error enters. Throws `FieldError` naming
 * `path` when the amount is not a plain decimal or exceeds 2^53 minor units.
 */
export function toMinorUnits(amount: string | number, currency: string, path: string): number {
  const text = typeof amount === 'number' ? numberToDecimalText(amount) : amount.trim();
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) throw new FieldError(path, amount, 'a decimal amount such as "19.99"');

  const [, sign = '', whole = '0', fraction = ''] = match;
  const decimals = currencyDecimals(currency);
  const keptDigits = fraction.slice(0, decimals).padEnd(decimals, '0');
  const firstDropped = fraction.charAt(decimals);

  let magnitude = BigInt(whole + keptDigits);
  if (firstDropped !== '' && firstDropped >= '5') magnitude += 1n;
  if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new FieldError(path, amount, `an amount below 2^53 minor units of ${currency}`);
  }

  const minor = Number(magnitude);
  return sign === '-' && minor !== 0 ? -minor : minor;
}

/** Divides minor units and rounds half away from zero, for a unit price derived from a line total. */
export function divideMinorUnits(totalMinor: number, divisor: number): number {
  const quotient = totalMinor / divisor;
  return Math.sign(quotient) * Math.round(Math.abs(quotient));
}

/** Writes a JSON number as plain decimal text; exponent forms such as 1e-7 become full digits. */
function numberToDecimalText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

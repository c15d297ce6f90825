import { describe, expect, it } from 'vitest';
import { resolveUciCountry, UCI_COUNTRY_CODES } from '../../src/data/countries.ts';
import { largestCities } from '../../src/data/geo.ts';

describe('resolveUciCountry', () => {
  it('lists the 38 UCI country names', () => {
    expect(Object.keys(UCI_COUNTRY_CODES)).toHaveLength(38);
  });

  it.each([
    ['United Kingdom', 'GB'],
    ['EIRE', 'IE'],
    ['Channel Islands', 'JE'],
    ['RSA', 'ZA'],
    ['USA', 'US'],
    ['Czech Republic', 'CZ'],
    ['Hong Kong', 'HK'],
    ['United Arab Emirates', 'AE'],
    ['Malta', 'MT'],
  ])('maps %s to %s', (name, code) => {
    expect(resolveUciCountry(name)).toEqual({ ok: true, code });
  });

  it('ignores case and surrounding spaces', () => {
    expect(resolveUciCountry('  united kingdom ')).toEqual({ ok: true, code: 'GB' });
  });

  it.each(['European Community', 'Unspecified'])('rejects %s with a reason', (name) => {
    const result = resolveUciCountry(name);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(`Country "${name}"`);
    expect(result.ok ? '' : result.reason).toContain('expected a destination country');
  });

  it('rejects an unknown name', () => {
    const result = resolveUciCountry('Atlantis');
    expect(result.ok ? '' : result.reason).toContain('not a known UCI country name');
  });

  it('has cities for every mapped code', () => {
    for (const code of Object.values(UCI_COUNTRY_CODES)) {
      if (code === null) continue;
      expect(largestCities(code, 1), code).toHaveLength(1);
    }
  });
});

/**
 * Country names used by the UCI "Online Retail" data set, mapped to ISO 3166-1 alpha-2 codes.
 *
 * The data names 38 destinations. Two of them are not countries: "European Community" (a
 * region) and "Unspecified". Their orders have no destination and are rejected.
 *
 * "Channel Islands" covers two Crown dependencies with their own codes, Jersey (JE) and
 * Guernsey (GG). It maps to JE, the more populous of the two, for every order, so that the
 * mapping stays deterministic.
 */

/** ISO 3166-1 alpha-2 code per UCI country name; `null` for names that are not a country. */
export const UCI_COUNTRY_CODES: Readonly<Record<string, string | null>> = {
  Australia: 'AU',
  Austria: 'AT',
  Bahrain: 'BH',
  Belgium: 'BE',
  Brazil: 'BR',
  Canada: 'CA',
  'Channel Islands': 'JE',
  Cyprus: 'CY',
  'Czech Republic': 'CZ',
  Denmark: 'DK',
  EIRE: 'IE',
  'European Community': null,
  Finland: 'FI',
  France: 'FR',
  Germany: 'DE',
  Greece: 'GR',
  'Hong Kong': 'HK',
  Iceland: 'IS',
  Israel: 'IL',
  Italy: 'IT',
  Japan: 'JP',
  Lebanon: 'LB',
  Lithuania: 'LT',
  Malta: 'MT',
  Netherlands: 'NL',
  Norway: 'NO',
  Poland: 'PL',
  Portugal: 'PT',
  RSA: 'ZA',
  'Saudi Arabia': 'SA',
  Singapore: 'SG',
  Spain: 'ES',
  Sweden: 'SE',
  Switzerland: 'CH',
  'United Arab Emirates': 'AE',
  'United Kingdom': 'GB',
  Unspecified: null,
  USA: 'US',
};

/** Reason per name that maps to `null`. */
const NOT_A_COUNTRY: Readonly<Record<string, string>> = {
  'European Community': 'is a region of several countries, not one destination country',
  Unspecified: 'means the retailer did not record the destination',
};

/** Result of mapping a UCI country name: the ISO code, or the reason there is none. */
export type CountryResolution = { ok: true; code: string } | { ok: false; reason: string };

/** Upper-cased name to canonical name, for lookups that ignore case and surrounding spaces. */
const CANONICAL_BY_UPPER = new Map(Object.keys(UCI_COUNTRY_CODES).map((name) => [name.toUpperCase(), name]));

/**
 * Maps a UCI country name (case and surrounding spaces ignored) to its ISO 3166-1 alpha-2
 * code, or returns a reason naming the value when it is not a country or not a known name.
 */
export function resolveUciCountry(name: string): CountryResolution {
  const canonical = CANONICAL_BY_UPPER.get(name.trim().toUpperCase());
  if (canonical === undefined) {
    return {
      ok: false,
      reason: `Country "${name}" is not a known UCI country name; expected one of the ${CANONICAL_BY_UPPER.size} names such as "United Kingdom" or "EIRE"`,
    };
  }

  const code = UCI_COUNTRY_CODES[canonical];
  if (code === null || code === undefined) {
    const why = NOT_A_COUNTRY[canonical] ?? 'is not a country';
    return { ok: false, reason: `Country "${name}" ${why}; expected a destination country` };
  }
  return { ok: true, code };
}

import { countryName, type ShipTo } from './packingSlip.ts';

/** One printed line of a ship-to address; `parts` are printed separated by a space. */
export interface AddressLine {
  kind: 'name' | 'company' | 'line1' | 'line2' | 'locality' | 'country';
  parts: string[];
}

/**
 * Lays out a ship-to address as printed lines: name, company, street lines, then city, region
 * and postal code on one line, then the country as its English name with the code. Blank fields
 * are left out; every other value is kept exactly as given.
 */
export function addressLines(shipTo: ShipTo): AddressLine[] {
  const lines: AddressLine[] = [];
  const add = (kind: AddressLine['kind'], ...values: (string | undefined)[]): void => {
    const parts = values.filter((value): value is string => value !== undefined && value.trim() !== '');
    if (parts.length > 0) lines.push({ kind, parts });
  };

  add('name', shipTo.name);
  add('company', shipTo.company);
  add('line1', shipTo.line1);
  add('line2', shipTo.line2);
  add('locality', shipTo.city, shipTo.region, shipTo.postalCode);
  const name = countryName(shipTo.country);
  add('country', name === shipTo.country ? name : `${name} (${shipTo.country})`);
  return lines;
}

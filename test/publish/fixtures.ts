import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Geocoder, ParsedRecord } from '../../src/publish/adapters/types.ts';

/** Folder of the sample payloads and the hand-written Shopify export. */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/formats/', import.meta.url));

/** Reads a fixture file as UTF-8 text. */
export function readFixture(name: string): string {
  return readFileSync(`${FIXTURES_DIR}${name}`, 'utf8');
}

/** Reads a JSON fixture with `JSON.parse`, for building corrupted copies (ids above 2^53 lose digits here). */
export function readJsonFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFixture(name)) as Record<string, unknown>;
}

/** Coordinates that the stub geocoder returns for every city. */
export const STUB_COORDINATES = { lat: 38.2, lon: -85.7 };

/** A geocoder that places every city at `STUB_COORDINATES` and records its calls. */
export function stubGeocoder(): Geocoder & { calls: [string, string | undefined][] } {
  const calls: [string, string | undefined][] = [];
  const geocode = (country: string, city: string | undefined) => {
    calls.push([country, city]);
    return STUB_COORDINATES;
  };
  return Object.assign(geocode, { calls });
}

/** Returns the records of one kind, narrowed to that kind. */
export function recordsOfKind<K extends ParsedRecord['kind']>(records: readonly ParsedRecord[], kind: K): Extract<ParsedRecord, { kind: K }>[] {
  return records.filter((record): record is Extract<ParsedRecord, { kind: K }> => record.kind === kind);
}

/** Returns the only record, failing the test when there are more or fewer. */
export function onlyRecord(records: readonly ParsedRecord[]): ParsedRecord {
  if (records.length !== 1) throw new Error(`expected exactly 1 record, got ${records.length}: ${JSON.stringify(records)}`);
  return records[0] as ParsedRecord;
}

/** Returns the reason of a rejected record, failing the test with the record when it is another kind. */
export function rejectionReason(record: ParsedRecord | undefined): string {
  if (record?.kind !== 'rejected') throw new Error(`expected a rejected record, got ${JSON.stringify(record)}`);
  return record.reason;
}

/** Returns the order of an order record, failing the test with the record when it is another kind. */
export function orderOf(record: ParsedRecord | undefined): Extract<ParsedRecord, { kind: 'order' }>['order'] {
  if (record?.kind !== 'order') throw new Error(`expected an order record, got ${JSON.stringify(record)}`);
  return record.order;
}

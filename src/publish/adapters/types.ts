import type { OrderInput } from '../../domain/order.ts';

/** Names of the input formats a publisher can read, as given to `--format`. */
export type FormatName = 'uci-csv' | 'jsonl' | 'shopify-webhook' | 'shopify-csv' | 'woocommerce';

/** Every format name, in the order that help text and error messages list them. */
export const FORMAT_NAMES: readonly FormatName[] = ['uci-csv', 'jsonl', 'shopify-webhook', 'shopify-csv', 'woocommerce'];

/**
 * One result of reading an input file. `recordId` locates the source record in the file, such as
 * `line 7` for line-based formats or `order 2` for JSON documents. Each source record has its own
 * `recordId`, and an order and the cancel derived from the same source record share it. A cancel
 * without `lines` cancels the whole order.
 */
export type ParsedRecord =
  | { kind: 'order'; recordId: string; order: OrderInput }
  | { kind: 'cancel'; recordId: string; orderId: string; lines?: { sku: string; quantity: number }[]; reason: string }
  | { kind: 'rejected'; recordId: string; reason: string };

/**
 * A reader that turns an input file into Switchyard records. A source record that cannot become
 * a valid order is yielded as `rejected`, never as a partial order.
 */
export interface Adapter {
  readonly format: FormatName;
  /** One line for help text: what the format is and which file shape it reads. */
  readonly describe: string;
  /**
   * Reads the file at `path` and yields its records in input order. It rejects with an error,
   * before yielding any record, when the file as a whole cannot be read.
   */
  read(path: string): AsyncIterable<ParsedRecord>;
}

/** An adapter that can also parse a whole file held in memory; all adapters except `uci-csv`. */
export interface TextAdapter extends Adapter {
  /**
   * Parses the text of a whole file. Throws `InputFormatError` when the file as a whole cannot be
   * read (empty, truncated JSON, missing CSV columns), so no record is returned from it. Every
   * `order` returned has passed `OrderSchema`.
   */
  parse(text: string): ParsedRecord[];
}

/** A place's coordinates in degrees, as a geocoder returns them. */
export interface Coordinates {
  lat: number;
  lon: number;
}

/**
 * Looks up a city by ISO 3166-1 alpha-2 country code and name; returns undefined when the city
 * is not known. `geocodeCity` from `src/data/geo.ts` has this shape.
 */
export type Geocoder = (country: string, city: string | undefined) => Coordinates | undefined;

/** Dependencies of adapters whose sources can lack coordinates. */
export interface AdapterOptions {
  /** Resolves a destination without latitude and longitude; the record is rejected when it returns undefined. */
  geocode: Geocoder;
}

/**
 * Registry of the publisher adapters: look one up by `--format` name, or detect it from a file.
 */
import { geocodeCity } from '../../data/geo.ts';
import { guessFormat } from './detect.ts';
import { UnknownFormatError } from './errors.ts';
import { createJsonlAdapter } from './jsonl.ts';
import { createShopifyCsvAdapter } from './shopifyCsv.ts';
import { createShopifyWebhookAdapter } from './shopifyWebhook.ts';
import { createUciCsvAdapter } from './uciCsv.ts';
import { createWooCommerceAdapter } from './woocommerce.ts';
import { FORMAT_NAMES, type Adapter, type AdapterOptions, type FormatName, type TextAdapter } from './types.ts';

export { InputFormatError, UnknownFormatError } from './errors.ts';
export { currencyDecimals, toMinorUnits } from './money.ts';
export type { Adapter, AdapterOptions, Coordinates, FormatName, Geocoder, ParsedRecord, TextAdapter } from './types.ts';

/** Adapter options used when a caller gives none: cities are geocoded with `geocodeCity`. */
export const DEFAULT_ADAPTER_OPTIONS: AdapterOptions = { geocode: geocodeCity };

const FACTORIES: Readonly<Record<FormatName, (options: AdapterOptions) => Adapter>> = {
  'uci-csv': () => createUciCsvAdapter(),
  jsonl: () => createJsonlAdapter(),
  'shopify-webhook': createShopifyWebhookAdapter,
  'shopify-csv': createShopifyCsvAdapter,
  woocommerce: createWooCommerceAdapter,
};

/** One-line descriptions of every format, for help text and errors. */
const DESCRIPTIONS: Readonly<Record<FormatName, string>> = Object.fromEntries(
  FORMAT_NAMES.map((name) => [name, FACTORIES[name](DEFAULT_ADAPTER_OPTIONS).describe]),
) as Record<FormatName, string>;

/** Returns every accepted format name with its one-line description, in help-text order. */
export function listFormats(): { format: FormatName; describe: string }[] {
  return FORMAT_NAMES.map((format) => ({ format, describe: DESCRIPTIONS[format] }));
}

/** Returns true when `name` is an accepted format name. */
export function isFormatName(name: string): name is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(name);
}

/**
 * Returns the adapter for a `--format` name. Throws `UnknownFormatError`, listing the accepted
 * formats, for any other name.
 */
export function getAdapter(name: string, options: AdapterOptions = DEFAULT_ADAPTER_OPTIONS): Adapter {
  if (!isFormatName(name)) throw unknownFormat(`unknown format ${JSON.stringify(name)}`);
  return FACTORIES[name](options);
}

/** Returns true when the adapter can parse text held in memory (every format except `uci-csv`). */
export function isTextAdapter(adapter: Adapter): adapter is TextAdapter {
  return typeof (adapter as Partial<TextAdapter>).parse === 'function';
}

/**
 * Detects the format of a file from its content (the whole text, or at least its first line for
 * CSV and JSON lines). Gzip files are taken as `uci-csv`, the one format read compressed. Throws
 * `UnknownFormatError`, listing the accepted formats, when the content matches none.
 */
export function detectFormat(fileName: string, text: string): FormatName {
  const format = guessFormat(fileName, text);
  if (format !== undefined) return format;

  const start = text.replace(/^\uFEFF/, '').trimStart().slice(0, 40);
  const found = start === '' ? 'is empty' : `starts with ${JSON.stringify(start)}`;
  throw unknownFormat(`cannot detect the format of ${fileName}: it ${found}; pass --format`);
}

function unknownFormat(message: string): UnknownFormatError {
  return new UnknownFormatError(message, FORMAT_NAMES, (name) => DESCRIPTIONS[name as FormatName]);
}

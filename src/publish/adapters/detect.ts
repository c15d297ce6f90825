import { parse } from 'lossless-json';
import { isJsonObject } from './fields.ts';
import type { FormatName } from './types.ts';

/** Maximum characters of a text prefix scanned for format keys when the text is not whole JSON. */
const SCAN_CHARS = 64 * 1024;

/**
 * Guesses the format of a file from its content, and from its name only for gzip files, whose
 * content cannot be inspected as text. Returns undefined when nothing matches. `text` may be the
 * whole file or its beginning, because a JSON document that does not parse whole (truncated, or
 * several lines of JSON) is recognised by its first line or by the keys it contains.
 */
export function guessFormat(fileName: string, text: string): FormatName | undefined {
  if (/\.gz$/i.test(fileName)) return 'uci-csv';

  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body === '') return undefined;
  if (body.startsWith('{') || body.startsWith('[')) return guessJsonFormat(body);
  return guessCsvFormat(body);
}

function guessJsonFormat(body: string): FormatName | undefined {
  const whole = tryParse(body);
  if (whole !== undefined) {
    const sample = firstOrderObject(whole);
    const format = sample === undefined ? undefined : classifyOrderObject(sample);
    // One Switchyard order spread over several lines, or an array of them, is not JSON lines.
    if (format === 'jsonl' && (sample !== whole || body.trim().includes('\n'))) return undefined;
    return format;
  }

  const lineEnd = body.indexOf('\n');
  const firstLine = tryParse(lineEnd === -1 ? body : body.slice(0, lineEnd));
  if (isJsonObject(firstLine)) return classifyOrderObject(firstLine) === 'jsonl' ? 'jsonl' : undefined;

  const head = body.slice(0, SCAN_CHARS);
  if (/"order_key"\s*:|"date_created_gmt"\s*:/.test(head)) return 'woocommerce';
  if (/"financial_status"\s*:|"admin_graphql_api_id"\s*:\s*"gid:\/\/shopify\/Order\//.test(head)) return 'shopify-webhook';
  return undefined;
}

/** Finds the first order-like object: the document itself, the first array item, or Shopify's `order`/`orders` wrapper. */
function firstOrderObject(document: unknown): Record<string, unknown> | undefined {
  const candidate: unknown = Array.isArray(document) ? (document as unknown[])[0] : document;
  if (!isJsonObject(candidate)) return undefined;
  if (isJsonObject(candidate.order)) return candidate.order;
  if (Array.isArray(candidate.orders) && isJsonObject(candidate.orders[0])) return candidate.orders[0];
  return candidate;
}

function classifyOrderObject(order: Record<string, unknown>): FormatName | undefined {
  if ('orderId' in order && 'lines' in order) return 'jsonl';
  if (!('line_items' in order)) return undefined;
  if ('order_key' in order || 'date_created_gmt' in order || 'created_via' in order) return 'woocommerce';
  if ('financial_status' in order || 'order_number' in order || 'admin_graphql_api_id' in order) return 'shopify-webhook';
  return undefined;
}

function guessCsvFormat(body: string): FormatName | undefined {
  const headerLine = body.slice(0, body.search(/\r?\n|$/));
  const columns = new Set(headerLine.split(',').map((name) => name.trim().replace(/^"|"$/g, '')));
  if (columns.has('InvoiceNo') && columns.has('StockCode')) return 'uci-csv';
  if (columns.has('Name') && columns.has('Lineitem quantity')) return 'shopify-csv';
  return undefined;
}

function tryParse(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

import { Packr } from 'msgpackr';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';

/**
 * Payload codec for everything that crosses a process boundary. Records are off so that
 * no message depends on structures that one process has learnt. A property whose value is
 * `undefined` is left out, as `JSON.stringify` does, and an `undefined` array item is nil.
 */
// `skipValues` is documented in msgpackr's README but missing from its type declarations.
const packr = new Packr({ useRecords: false, moreTypes: false, encodeUndefinedAsNil: true, ...{ skipValues: [undefined] } });

export const CONTENT_TYPE_HEADER = 'Content-Type';
export const MSGPACK = 'application/msgpack';
export const JSON_TYPE = 'application/json';

/** Encodes a value as msgpack. */
export function encode(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Error raised when a payload cannot be decoded at all. */
export class DecodeError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'DecodeError';
  }
}

/**
 * Decodes a payload: JSON when the `Content-Type` header says `application/json`,
 * otherwise msgpack.
 */
export function decode(data: Uint8Array, headers?: MsgHdrs): unknown {
  const contentType = headers?.get(CONTENT_TYPE_HEADER) ?? '';
  try {
    if (contentType.startsWith(JSON_TYPE)) return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
    if (contentType !== '' && !contentType.startsWith(MSGPACK)) {
      throw new DecodeError(`unsupported Content-Type "${contentType}"; expected ${MSGPACK} or ${JSON_TYPE}`);
    }
    return packr.unpack(data);
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    const format = contentType.startsWith(JSON_TYPE) ? 'JSON' : 'msgpack';
    throw new DecodeError(`payload of ${data.length} bytes is not valid ${format}: ${(error as Error).message}`, { cause: error });
  }
}

/** Headers for a JSON payload, for publishers that do not speak msgpack. */
export function jsonHeaders(): MsgHdrs {
  const h = natsHeaders();
  h.set(CONTENT_TYPE_HEADER, JSON_TYPE);
  return h;
}

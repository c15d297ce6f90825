import { Packr } from 'msgpackr';

/**
 * msgpack codec for benchmark messages. Records are off (`useRecords: false`) because a message
 * crossing NATS must not depend on structures that only one process learnt.
 */
export const messagePackr = new Packr({ useRecords: false });

/** Default size of a benchmark message, in bytes: the size of a typical order event. */
export const DEFAULT_PAYLOAD_BYTES = 300;

/**
 * Builds an order-event-like object whose msgpack encoding is exactly `bytes` long and returns
 * the object and its encoding. `bytes` must be at least 150, the size of the event with an empty note.
 */
export function makeOrderEventPayload(bytes: number = DEFAULT_PAYLOAD_BYTES): { event: Record<string, unknown>; encoded: Uint8Array } {
  if (!Number.isInteger(bytes)) throw new RangeError(`payload bytes must be an integer, got ${String(bytes)}`);

  const event = {
    type: 'order.line.allocated',
    orderId: '5712340987654321987',
    lineId: '14012345678901234567',
    sku: 'SKU-00042-BLK-M',
    quantity: 2,
    nodeId: 'dc-east-1',
    at: 1_760_000_000_000,
    note: '',
  };
  const base = messagePackr.pack(event).length;
  if (base > bytes) throw new RangeError(`payload bytes must be >= ${base} (the size of the empty event), got ${bytes}`);

  // String headers grow from 1 to 2 and 3 bytes at 32 and 256 characters, so some note lengths
  // cannot hit the size exactly. A 2-byte quantity then shifts the total by one.
  for (const quantity of [2, 200]) {
    event.quantity = quantity;
    for (let noteLength = bytes - base; noteLength >= Math.max(0, bytes - base - 4); noteLength--) {
      event.note = 'n'.repeat(noteLength);
      const encoded = messagePackr.pack(event);
      if (encoded.length === bytes) return { event, encoded };
    }
  }
  throw new Error(`no order event encodes to exactly ${bytes} bytes`);
}

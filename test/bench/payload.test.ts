import { describe, expect, it } from 'vitest';

import { makeOrderEventPayload, messagePackr } from '../../bench/lib/payload.ts';

describe('makeOrderEventPayload', () => {
  it('default is 300 bytes', () => {
    expect(makeOrderEventPayload().encoded.length).toBe(300);
  });

  it('every size from 150 to 1200', () => {
    for (let bytes = 150; bytes <= 1200; bytes++) {
      expect(makeOrderEventPayload(bytes).encoded.length).toBe(bytes);
    }
  });

  it('encoding decodes to event', () => {
    const { event, encoded } = makeOrderEventPayload(300);

    expect(messagePackr.unpack(encoded)).toEqual(event);
  });

  it('too small size rejected', () => {
    expect(() => makeOrderEventPayload(100)).toThrow(/>= 150/);
    expect(() => makeOrderEventPayload(300.5)).toThrow(/integer/);
  });
});

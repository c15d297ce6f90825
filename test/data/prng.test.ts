import { describe, expect, it } from 'vitest';
import { hashToUnit, mulberry32, randomInt, shuffled, weightedIndex } from '../../src/data/prng.ts';

describe('mulberry32', () => {
  it('repeats a sequence for a seed', () => {
    const first = mulberry32(7);
    const second = mulberry32(7);
    for (let draw = 0; draw < 100; draw++) expect(first()).toBe(second());
  });

  it('differs between seeds', () => {
    expect(mulberry32(1)()).not.toBe(mulberry32(2)());
  });

  it('stays in [0, 1)', () => {
    const random = mulberry32(123);
    for (let draw = 0; draw < 10_000; draw++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});

describe('prng helpers', () => {
  it('hashToUnit is stable and in range', () => {
    expect(hashToUnit('17850')).toBe(hashToUnit('17850'));
    expect(hashToUnit('17850')).not.toBe(hashToUnit('17851'));
    expect(hashToUnit('')).toBeGreaterThanOrEqual(0);
    expect(hashToUnit('')).toBeLessThan(1);
  });

  it('randomInt covers both bounds', () => {
    const random = mulberry32(5);
    const seen = new Set<number>();
    for (let draw = 0; draw < 1000; draw++) seen.add(randomInt(random, 3, 5));
    expect([...seen].sort()).toEqual([3, 4, 5]);
  });

  it('weightedIndex skips zero weights', () => {
    expect(weightedIndex([0, 1, 0], 0)).toBe(1);
    expect(weightedIndex([0, 1, 0], 0.999)).toBe(1);
    expect(weightedIndex([1, 3], 0.24)).toBe(0);
    expect(weightedIndex([1, 3], 0.26)).toBe(1);
    expect(weightedIndex([0, 0], 0.5)).toBe(-1);
  });

  it('shuffled keeps every item', () => {
    const items = [1, 2, 3, 4, 5, 6];
    const result = shuffled(mulberry32(9), items);
    expect([...result].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

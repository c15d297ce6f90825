/**
 * Seeded randomness for generated demo data: a mulberry32 generator and a string hash.
 * Not for cryptography. The same seed gives the same sequence on every platform, because
 * both use only 32-bit integer arithmetic.
 */

/** Source of uniform floats in [0, 1). */
export type Random = () => number;

/** Creates a mulberry32 generator from a 32-bit seed (other numbers are truncated to 32 bits). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Final avalanche step of MurmurHash3, so that close inputs give unrelated outputs. */
function finalizeHash(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Hashes a string (UTF-16 code units) to an unsigned 32-bit integer with FNV-1a. */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return finalizeHash(hash);
}

/**
 * Maps a string to a float in [0, 1) with 53 bits of resolution, from two independent hashes.
 * The same string always gives the same number.
 */
export function hashToUnit(text: string): number {
  const high = hashString(text) >>> 5; // 27 bits
  const low = hashString(text, 0x9747b28c) >>> 6; // 26 bits
  return (high * 67108864 + low) / 9007199254740992;
}

/** Returns an integer in [min, max], both inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Returns a float in [min, max). */
export function randomBetween(random: Random, min: number, max: number): number {
  return min + random() * (max - min);
}

/**
 * Returns the index picked by a uniform draw `unit` in [0, 1) over non-negative weights,
 * or -1 when every weight is 0.
 */
export function weightedIndex(weights: readonly number[], unit: number): number {
  let total = 0;
  for (const weight of weights) total += weight;
  if (total <= 0) return -1;

  let target = unit * total;
  for (const [index, weight] of weights.entries()) {
    if (target < weight) return index;
    target -= weight;
  }
  // Rounding can leave the target just above the last weight: take the last non-zero one.
  return weights.findLastIndex((weight) => weight > 0);
}

/** Returns a shuffled copy (Fisher-Yates) of the items. */
export function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    const item = copy[index] as T;
    copy[index] = copy[other] as T;
    copy[other] = item;
  }
  return copy;
}

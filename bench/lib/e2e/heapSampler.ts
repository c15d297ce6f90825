import { setTimeout as sleep } from 'node:timers/promises';

/** Heap and resident memory after full garbage collections, in bytes. */
export interface MemorySample {
  /** V8 heap in use (`process.memoryUsage().heapUsed`). */
  readonly heapUsed: number;
  /** Resident set size of the process. */
  readonly rss: number;
  /** Memory of C++ objects bound to JavaScript, array buffers included. */
  readonly external: number;
}

/** Throws unless the process runs with `--expose-gc`, naming the command to use. */
export function requireGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('global gc() is missing; run with: node --expose-gc --import tsx bench/memory.bench.ts');
  return gc;
}

/**
 * Runs full garbage collections until the heap stops shrinking (at most 6, with a short pause
 * for finalizers between them) and returns the memory in use.
 */
export async function sampleMemory(): Promise<MemorySample> {
  const gc = requireGc();
  let previous = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 6; round++) {
    gc();
    await sleep(20);
    const used = process.memoryUsage().heapUsed;
    if (used >= previous * 0.999) break;
    previous = used;
  }
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, rss: usage.rss, external: usage.external };
}

/** Returns `(after - before) / count` for heap, RSS and external memory, rounded to bytes. */
export function perItem(after: MemorySample, before: MemorySample, count: number): MemorySample {
  if (!(count > 0)) throw new RangeError(`count must be positive, got ${String(count)}`);
  const per = (field: keyof MemorySample): number => Math.round((after[field] - before[field]) / count);
  return { heapUsed: per('heapUsed'), rss: per('rss'), external: per('external') };
}

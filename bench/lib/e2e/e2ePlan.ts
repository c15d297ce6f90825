import { parseArgs } from 'node:util';

import type { OpenLoopOptions } from './openLoop.ts';

/** What one run of `bench/e2e.bench.ts` measures, from its command line. */
export interface E2ePlan {
  readonly quick: boolean;
  /** Offered rates of the open-loop sweep, orders per second. An empty list skips the sweep. */
  readonly rates: readonly number[];
  readonly run: Omit<OpenLoopOptions, 'ratePerSec'>;
  /** Simulated time per real time of the node agents. */
  readonly speedup: number;
  /** Order snapshot writes that age the store of the aged-store run. 0 skips that run. */
  readonly ageWrites: number;
  /** Real orders driven through the engine's command path to record the aging write log. */
  readonly recordOrders: number;
  /** Offered rate of the fresh-against-aged comparison. */
  readonly agedRate: number;
  /** Closed-loop search settings. Undefined skips the search. */
  readonly search: { readonly warmupMs: number; readonly windowMs: number; readonly budgetMs: number; readonly maxInFlight: number } | undefined;
  /** Window of the open-loop check at the searched rate, in ms. 0 skips the check. */
  readonly confirmMs: number;
  /** `auto` profiles the engine when a target is missed. */
  readonly profile: 'auto' | 'always' | 'never';
  readonly baselines: { readonly durationMs: number; readonly runs: number; readonly fetchMessages: number } | undefined;
}

/** Offered rate of the aged-store comparison when no sweep rate is given, orders per second. */
const DEFAULT_AGED_RATE = 50;

/** Usage of `bench/e2e.bench.ts`, shown in its header and in errors. */
export const E2E_USAGE =
  'node --import tsx bench/e2e.bench.ts [--quick] [--rates 500,2000,5000|none] [--window-s 20] [--warmup-s 5] [--drain-s 30] ' +
  '[--speedup 3600000] [--age-writes 1000000|0] [--aged-rate R] [--search-budget-s 150] [--skip-search] ' +
  '[--profile auto|always|never] [--skip-baselines]';

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`--${name} must be a positive number, got "${text}"; usage: ${E2E_USAGE}`);
  return value;
}

function baselinePlan(skip: boolean, quick: boolean): E2ePlan['baselines'] {
  if (skip) return undefined;
  if (quick) return { durationMs: 300, runs: 1, fetchMessages: 3_000 };
  return { durationMs: 1_500, runs: 3, fetchMessages: 30_000 };
}

function searchPlan(skip: boolean, quick: boolean, budgetSeconds: string | undefined): E2ePlan['search'] {
  if (skip) return undefined;
  if (quick) return { warmupMs: 500, windowMs: 2_000, budgetMs: 12_000, maxInFlight: 16 };
  return { warmupMs: 2_000, windowMs: 8_000, budgetMs: positive('search-budget-s', budgetSeconds ?? '150') * 1000, maxInFlight: 256 };
}

/**
 * Reads the plan from the command line. `--quick` shortens every phase for a smoke run of
 * under a minute; explicit flags override its values.
 */
export function parseE2ePlan(args: readonly string[] = process.argv.slice(2)): E2ePlan {
  const { values } = parseArgs({
    args: [...args],
    options: {
      quick: { type: 'boolean', default: false },
      rates: { type: 'string' },
      'window-s': { type: 'string' },
      'warmup-s': { type: 'string' },
      'drain-s': { type: 'string' },
      speedup: { type: 'string', default: '3600000' },
      'age-writes': { type: 'string' },
      'aged-rate': { type: 'string' },
      'search-budget-s': { type: 'string' },
      'skip-search': { type: 'boolean', default: false },
      profile: { type: 'string' },
      'skip-baselines': { type: 'boolean', default: false },
    },
  });
  const quick = values.quick === true;
  const profile = values.profile ?? (quick ? 'never' : 'auto');
  if (profile !== 'auto' && profile !== 'always' && profile !== 'never') throw new Error(`--profile must be auto, always or never, got "${profile}"`);
  const ratesText = values.rates ?? (quick ? '200' : '500,2000,5000');
  const rates = ratesText === 'none' ? [] : ratesText.split(',').map((text) => positive('rates', text));
  const seconds = (name: 'window-s' | 'warmup-s' | 'drain-s', full: number, short: number): number => positive(name, values[name] ?? String(quick ? short : full)) * 1000;
  const ageWrites = Number(values['age-writes'] ?? (quick ? '10000' : '1000000'));
  if (!Number.isInteger(ageWrites) || ageWrites < 0) throw new Error(`--age-writes must be a whole number, 0 or more, got "${values['age-writes']}"`);

  return {
    quick,
    rates,
    run: { warmupMs: seconds('warmup-s', 5, 1), windowMs: seconds('window-s', 20, 3), drainMs: seconds('drain-s', 30, 3) },
    speedup: positive('speedup', values.speedup ?? '3600000'),
    ageWrites,
    recordOrders: quick ? 200 : 1_000,
    agedRate: positive('aged-rate', values['aged-rate'] ?? String(rates.length === 0 ? DEFAULT_AGED_RATE : Math.min(...rates))),
    search: searchPlan(values['skip-search'] === true, quick, values['search-budget-s']),
    confirmMs: quick ? 0 : 10_000,
    profile,
    baselines: baselinePlan(values['skip-baselines'] === true, quick),
  };
}

/** Orders one open-loop run places, with a margin, to size stock and capacity. */
export function ordersFor(ratePerSec: number, run: Omit<OpenLoopOptions, 'ratePerSec'>): number {
  return Math.ceil(ratePerSec * ((run.warmupMs + run.windowMs) / 1000) * 1.2) + 1_000;
}

import { describe, expect, it } from 'vitest';
import { searchPlan } from '../../src/sourcing/search.ts';
import type { SearchLimits } from '../../src/sourcing/search.ts';
import { loadHighs, solveExact } from './mipOracle.ts';
import { randomProblem } from './randomProblem.ts';

/** Limits small enough that 30-node instances leave the exact path (shortlist plus local search). */
const REDUCED_LIMITS: SearchLimits = { maxEvaluations: 400, shortlistSize: 12, swapRounds: 2 };

describe('search quality against HiGHS', () => {
  it('exact search equals the optimum', async () => {
    const highs = await loadHighs();
    for (let seed = 1; seed <= 100; seed++) {
      const problem = randomProblem(seed);
      const optimum = solveExact(highs, problem);
      const found = searchPlan(problem);

      expect(found.exact).toBe(true);
      expect({ seed, filled: found.best?.filled ?? 0 }).toEqual({ seed, filled: optimum.filled });
      expect({ seed, tierFilled: found.best?.tierFilled ?? optimum.tierFilled.map(() => 0) }).toEqual({ seed, tierFilled: optimum.tierFilled });
      expect({ seed, cost: found.best?.cost ?? 0 }).toEqual({ seed, cost: optimum.cost });
    }
  });

  it('heuristic search stays within 2%', async () => {
    const highs = await loadHighs();
    let heuristic = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const problem = randomProblem(seed, { maxNodes: 30, maxSkus: 6, maxLines: 8, tiers: 2, groups: false });
      const optimum = solveExact(highs, problem);
      const found = searchPlan(problem, REDUCED_LIMITS);
      if (!found.exact) heuristic++;

      expect({ seed, filled: found.best?.filled ?? 0 }).toEqual({ seed, filled: optimum.filled });
      expect({ seed, tierFilled: found.best?.tierFilled ?? optimum.tierFilled.map(() => 0) }).toEqual({ seed, tierFilled: optimum.tierFilled });
      const cost = found.best?.cost ?? 0;
      expect(cost).toBeGreaterThanOrEqual(optimum.cost);
      expect({ seed, withinTwoPercent: cost <= optimum.cost * 1.02 }).toEqual({ seed, withinTwoPercent: true });
    }
    expect(heuristic).toBeGreaterThan(10);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { runCrashScenario, type CrashRunResult } from './support/crashRun.ts';
import { envInteger } from './support/env.ts';
import { checkStatusChain } from './support/eventStream.ts';
import { formatCrashRun } from './support/report.ts';

/** Orders of the run; the default takes about 2 to 3 minutes on 2 cores. */
const ORDERS = envInteger('SWITCHYARD_CRASH_ORDERS', 4_000);
/** Orders placed per second. */
const RATE = envInteger('SWITCHYARD_CRASH_RATE', 30);
const KILLS = envInteger('SWITCHYARD_CRASH_KILLS', 4);
const SEED = envInteger('SWITCHYARD_CRASH_SEED', 20_110_104);
/** Settle budget after the last publish: it covers the consumer's ack wait, which a killed engine's unacknowledged commands wait out, plus time per order. */
const SETTLE_TIMEOUT_MS = 90_000 + ORDERS * 5;
const BUDGET_MS = (ORDERS / RATE) * 1_000 + SETTLE_TIMEOUT_MS + 120_000;

/**
 * The engine killed with SIGKILL several times while orders flow, restarted each time on the
 * same LMDB folder: afterwards nothing is lost, duplicated or counted twice.
 */
describe('engine killed under load', () => {
  let result: CrashRunResult;

  beforeAll(async () => {
    result = await runCrashScenario({
      orders: ORDERS,
      ratePerSecond: RATE,
      seed: SEED,
      disruptions: Array.from({ length: KILLS }, () => ({ kind: 'engine-kill' as const })),
      settleTimeoutMs: SETTLE_TIMEOUT_MS,
    });
    console.log(formatCrashRun('engine kill -9', result));
  }, BUDGET_MS);

  it('restarts after every kill', () => {
    expect(result.recoveries).toHaveLength(KILLS);
    for (const recovery of result.recoveries) {
      expect(recovery.spawnToConsumingMs).toBeGreaterThan(0);
      expect(recovery.toFirstEventMs, 'no event after a restart').toBeDefined();
    }
    expect(result.engines).toBe(KILLS + 1);
  });

  it('goes quiet after the last publish', () => {
    expect(result.quiet.busy).toEqual({ commandsPending: 0, commandsUnacked: 0, workPending: 0, agentSteps: 0 });
    expect(result.quiet.quiet).toBe(true);
  });

  it('stops cleanly at the end', () => {
    expect(result.finalExit).toEqual({ code: 0, signal: null });
  });

  it('keeps every order exactly once', () => {
    expect(result.state.missing).toEqual([]);
    expect(result.state.unexpected).toEqual([]);
    expect(result.state.orders).toBe(ORDERS);
    expect(result.stream.refusalsByState.get('exists') ?? 0).toBe(0);
  });

  it('settles every order', () => {
    expect(result.state.unsettled).toEqual([]);
    expect(result.state.invalidNotRejected).toEqual([]);
  });

  it('ships most orders and backorders some', () => {
    expect(result.state.statusCounts.delivered ?? 0).toBeGreaterThan(ORDERS / 2);
    expect(result.state.statusCounts.backordered ?? 0).toBeGreaterThan(0);
  });

  it('conserves quantities on every line', () => {
    expect(result.state.brokenLines).toEqual([]);
  });

  it('leaves no allocation open', () => {
    expect(result.state.openAllocations).toBe(0);
  });

  it('keeps stock equal to opening minus shipped', () => {
    expect(result.state.inventoryMismatches).toEqual([]);
  });

  it('publishes each message id with one content', () => {
    expect(result.liveConflicts).toEqual([]);
    expect(result.stream.conflicts).toEqual([]);
  });

  it('stores every event seen live', () => {
    expect(result.eventsNotStored).toEqual([]);
  });

  it('chains each order status events', () => {
    const broken: string[] = [];
    for (const [orderId, status] of result.state.statusOf) {
      const problem = checkStatusChain(result.stream.statusByOrder.get(orderId) ?? [], status);
      if (problem !== undefined) broken.push(`${orderId}: ${problem}`);
    }
    expect(broken.slice(0, 20)).toEqual([]);
  });
});

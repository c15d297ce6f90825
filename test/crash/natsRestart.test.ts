import { beforeAll, describe, expect, it } from 'vitest';
import { runCrashScenario, type CrashRunResult } from './support/crashRun.ts';
import { envInteger } from './support/env.ts';
import { checkStatusChain } from './support/eventStream.ts';
import { formatCrashRun } from './support/report.ts';

const ORDERS = envInteger('SWITCHYARD_CRASH_NATS_ORDERS', 600);
const RATE = envInteger('SWITCHYARD_CRASH_RATE', 30);
const SEED = envInteger('SWITCHYARD_CRASH_SEED', 20_110_104);
const SETTLE_TIMEOUT_MS = 90_000 + ORDERS * 5;
const BUDGET_MS = (ORDERS / RATE) * 1_000 + SETTLE_TIMEOUT_MS + 120_000;

/**
 * nats-server stopped twice while orders are published (SIGTERM, then SIGKILL) and started
 * again on the same port and JetStream store. The publisher retries with the same message id,
 * the engine and the agents reconnect, and the run ends with nothing lost.
 */
describe('nats-server restarted under load', () => {
  let result: CrashRunResult;

  beforeAll(async () => {
    result = await runCrashScenario({
      orders: ORDERS,
      ratePerSecond: RATE,
      seed: SEED,
      disruptions: [
        { kind: 'nats-restart', signal: 'SIGTERM', downForMs: 1_000 },
        { kind: 'nats-restart', signal: 'SIGKILL', downForMs: 1_000 },
      ],
      settleTimeoutMs: SETTLE_TIMEOUT_MS,
    });
    console.log(formatCrashRun('nats-server restart', result));
  }, BUDGET_MS);

  it('resumes publishing events after each restart', () => {
    expect(result.recoveries).toHaveLength(2);
    for (const recovery of result.recoveries) expect(recovery.toFirstEventMs, 'no event after a server restart').toBeDefined();
    expect(result.engines).toBe(1);
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

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BatchLog, type BatchSummary } from './batchLog.ts';
import { runClosedLoopStep, type ClosedLoopStepResult } from './closedLoop.ts';
import { newestProfile, summarizeProfile, type ProfileSummary } from './cpuProfile.ts';
import { LatencyProbe } from './latencyProbe.ts';
import { runOpenLoop, type OpenLoopOptions, type OpenLoopResult } from './openLoop.ts';
import type { BenchNetwork, OrderCycler } from './orderWorkload.ts';
import { startStack } from './stack.ts';

/**
 * Functions whose total time a profile summary reports. Only synchronous ones: an async
 * function's frames after its first `await` are not under its name in the profile.
 */
export const PROFILED_FUNCTIONS = ['applyBatch', 'applyMessage', 'planSourcing', 'persist', 'publishAll', 'safeParse', 'decode', 'encode', 'wakeBackorders', 'fireDueTimers'];

/** Outcome of {@link traceUnloaded}. */
export interface UnloadedTrace {
  readonly step: ClosedLoopStepResult;
  readonly batches: BatchSummary;
}

/**
 * Places one order at a time for `windowMs` on a fresh stack whose engine logs at debug level,
 * and returns the latencies with the engine's per-batch stage times (apply, LMDB flush,
 * JetStream publish): where an unloaded order's latency goes.
 */
export async function traceUnloaded(network: BenchNetwork, cycler: OrderCycler, speedup: number, windowMs: number): Promise<UnloadedTrace> {
  const batches = new BatchLog();
  const stack = await startStack({ network, speedup, engineLogLevel: 'debug', onEngineLog: batches.add });
  const probe = new LatencyProbe(stack.nc);
  try {
    const step = await runClosedLoopStep(stack, probe, cycler, { inFlight: 1, warmupMs: 1_000, windowMs });
    return { step, batches: batches.summary() };
  } finally {
    probe.stop();
    await stack.stop();
  }
}

/** Outcome of {@link profileEngine}. */
export interface EngineProfile {
  readonly result: OpenLoopResult;
  /** Undefined when the engine child wrote no profile (it did not exit normally). */
  readonly profile: ProfileSummary | undefined;
  readonly batches: BatchSummary;
}

/**
 * Runs one open-loop rate on a fresh stack whose engine child runs with `--cpu-prof` and debug
 * logs, stops the engine cleanly so that it writes the profile, and summarizes the profile and
 * the per-batch stage times.
 */
export async function profileEngine(network: BenchNetwork, cycler: OrderCycler, speedup: number, run: OpenLoopOptions): Promise<EngineProfile> {
  const profileDir = await mkdtemp(join(tmpdir(), 'switchyard-e2e-profile-'));
  const batches = new BatchLog();
  try {
    const stack = await startStack({ network, speedup, engineProfileDir: profileDir, engineLogLevel: 'debug', onEngineLog: batches.add });
    const probe = new LatencyProbe(stack.nc);
    let result: OpenLoopResult;
    try {
      result = await runOpenLoop(stack, probe, cycler, run);
    } finally {
      probe.stop();
      await stack.stop();
    }
    const file = await newestProfile(profileDir);
    const profile = file === undefined ? undefined : await summarizeProfile(file, PROFILED_FUNCTIONS, 20);
    return { result, profile, batches: batches.summary() };
  } finally {
    await rm(profileDir, { recursive: true, force: true });
  }
}

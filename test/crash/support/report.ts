import type { CrashRunResult } from './crashRun.ts';

const round = (value: number | undefined): string => (value === undefined ? '-' : String(Math.round(value)));

/** Formats a crash run's recoveries and outcome as a few lines for the test log. */
export function formatCrashRun(title: string, result: CrashRunResult): string {
  const lines = [
    `${title}: ${result.workload.orderIds.length} orders, ${result.workload.commands.length} commands, ${result.engines} engine processes, ${Math.round(result.durationMs / 1000)} s`,
    '  #  kind          at(s)  unacked  spawn->consuming(ms)  engine startupMs  server down(ms)  ->first event(ms)',
  ];
  for (const [index, recovery] of result.recoveries.entries()) {
    lines.push(
      `  ${index + 1}  ${recovery.kind.padEnd(12)}  ${(recovery.atMs / 1000).toFixed(1).padStart(5)}  ${String(recovery.unackedBefore).padStart(7)}  ${round(recovery.spawnToConsumingMs).padStart(20)}  ${round(recovery.engineStartupMs).padStart(16)}  ${round(recovery.serverDownMs).padStart(15)}  ${round(recovery.toFirstEventMs).padStart(17)}`,
    );
  }
  const { state, stream, publish, quiet } = result;
  lines.push(
    `  published ${publish.published} (retries ${publish.retries}, stream duplicates ${publish.duplicates}, max lag ${Math.round(publish.maxLagMs)} ms); quiet ${quiet.quiet} after ${Math.round(quiet.waitedMs / 1000)} s ${JSON.stringify(quiet.busy)}`,
    `  statuses ${JSON.stringify(state.statusCounts)}; units ${JSON.stringify(state.units)}; open allocations ${state.openAllocations}`,
    `  events stored ${stream.messages} (stored twice ${stream.storedTwice}); live repeats ${result.liveRepeats}; retries rebuilt with new content ${JSON.stringify(result.rebuiltRetries)}; refusals ${JSON.stringify(Object.fromEntries(stream.refusalsByState))}`,
    `  refused for an unknown target: ${stream.unknownTargets.join(', ') || 'none'}`,
    `  engine warnings/errors ${JSON.stringify(result.engineProblems)}; agent report failures ${result.agentFailures}; final exit ${JSON.stringify(result.finalExit)}`,
  );
  return lines.join('\n');
}

import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { COMMAND_STREAM, WORK_STREAM } from '../../../src/transport/subjects.ts';

/** Options for `waitUntilQuiet`. */
export interface QuietOptions {
  /** Durable consumer of the engine on the command stream. Default `engine`. */
  consumerName?: string;
  /** Steps the simulated agents still have scheduled; 0 when none. */
  agentSteps?: () => number;
  /** How long everything must stay idle, in ms. Default 2,000. */
  quietMs?: number;
  /** Maximum wait, in ms. */
  timeoutMs: number;
}

/** Outcome of `waitUntilQuiet`: whether it went quiet, after how long, and what was still busy at the end. */
export interface QuietResult {
  quiet: boolean;
  waitedMs: number;
  busy: { commandsPending: number; commandsUnacked: number; workPending: number; agentSteps: number };
}

/**
 * Waits until the engine has acknowledged every command, every agent every work message, and
 * no simulated step is scheduled, for `quietMs` in a row. Messages delivered to a killed engine
 * count as unacknowledged until JetStream redelivers them after the consumer's ack wait.
 */
export async function waitUntilQuiet(nc: NatsConnection, options: QuietOptions): Promise<QuietResult> {
  const jsm = await jetstreamManager(nc);
  const startedAt = performance.now();
  const quietMs = options.quietMs ?? 2_000;
  let quietSince: number | undefined;
  let busy = { commandsPending: 0, commandsUnacked: 0, workPending: 0, agentSteps: 0 };

  while (performance.now() - startedAt < options.timeoutMs) {
    try {
      const commands = await jsm.consumers.info(COMMAND_STREAM, options.consumerName ?? 'engine');
      let workPending = 0;
      for await (const consumer of jsm.consumers.list(WORK_STREAM)) workPending += consumer.num_pending + consumer.num_ack_pending;
      busy = { commandsPending: commands.num_pending, commandsUnacked: commands.num_ack_pending, workPending, agentSteps: options.agentSteps?.() ?? 0 };
    } catch {
      // The server may be restarting; count it as busy.
      busy = { ...busy, commandsPending: Math.max(1, busy.commandsPending) };
    }
    const idle = busy.commandsPending + busy.commandsUnacked + busy.workPending + busy.agentSteps === 0;
    if (!idle) quietSince = undefined;
    else {
      quietSince ??= performance.now();
      if (performance.now() - quietSince >= quietMs) return { quiet: true, waitedMs: performance.now() - startedAt, busy };
    }
    await sleep(250);
  }
  return { quiet: false, waitedMs: performance.now() - startedAt, busy };
}

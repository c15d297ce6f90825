import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Repository root, the working folder of every spawned engine. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

/** Log message the engine writes once its durable consumer is pulling commands. */
const CONSUMING_MESSAGE = 'engine consuming commands';
const STARTED_MESSAGE = 'engine started';
/** pino's numeric level of `warn`. */
const WARN_LEVEL = 40;

/** Options for `spawnEngine`. */
export interface SpawnEngineOptions {
  natsUrl: string;
  /** `SWITCHYARD_DATA_DIR` of the child: its LMDB files live in `<dataDir>/lmdb`. */
  dataDir: string;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
}

/** Exit of a child process: a code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A warning or error line the engine logged. */
export interface EngineLogLine {
  level: number;
  msg: string;
  line: string;
}

/** An engine child process (`switchyard engine`) started by a test. */
export interface EngineProcess {
  readonly pid: number;
  /** `performance.now()` of the spawn call. */
  readonly spawnedAt: number;
  /** Milliseconds from spawn to the "engine consuming commands" log line; rejects if the child exits first. */
  readonly consuming: Promise<number>;
  /** The engine's own `startupMs` (store open to consuming), once it logged "engine started". */
  readonly startupMs: number | undefined;
  /** Resolves with `startupMs` when the engine logs "engine started"; never settles if it does not. */
  readonly started: Promise<number>;
  readonly exited: Promise<ProcessExit>;
  /** Warning and error lines logged so far. */
  readonly problems: readonly EngineLogLine[];
  /** Ends the child with SIGKILL and waits for its exit. */
  kill(): Promise<ProcessExit>;
  /** Ends the child with SIGTERM (a clean stop that closes LMDB) and waits; SIGKILL after `timeoutMs` (default 30,000). */
  stop(timeoutMs?: number): Promise<ProcessExit>;
}

/**
 * Spawns `node --import tsx src/cli/main.ts engine` with its own environment and follows its
 * pino log on stderr for the consuming line, the startup time, warnings and errors.
 */
export function spawnEngine(options: SpawnEngineOptions): EngineProcess {
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'engine'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NATS_URL: options.natsUrl,
      SWITCHYARD_DATA_DIR: options.dataDir,
      SWITCHYARD_LOG_LEVEL: 'info',
      ...options.env,
    },
  });
  if (child.pid === undefined) throw new Error('spawning the engine failed: the child has no pid');

  const problems: EngineLogLine[] = [];
  const tail: string[] = [];
  let startupMs: number | undefined;
  let markStarted: (ms: number) => void = () => undefined;
  const started = new Promise<number>((resolve) => {
    markStarted = resolve;
  });
  let markConsuming: (ms: number) => void = () => undefined;
  let failConsuming: (error: Error) => void = () => undefined;
  const consuming = new Promise<number>((resolve, reject) => {
    markConsuming = resolve;
    failConsuming = reject;
  });
  // A test that only kills the process never awaits this promise.
  consuming.catch(() => undefined);

  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      failConsuming(new Error(`engine ${child.pid} exited (code ${code}, signal ${signal}) before consuming; last lines:\n${tail.join('\n')}`));
      resolve({ code, signal });
    });
  });

  const lines = createInterface({ input: child.stderr! });
  lines.on('line', (line) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    const entry = parseLogLine(line);
    if (entry === undefined) return;
    if (entry.msg === CONSUMING_MESSAGE) markConsuming(performance.now() - spawnedAt);
    if (entry.msg === STARTED_MESSAGE && typeof entry.startupMs === 'number') {
      startupMs = entry.startupMs;
      markStarted(entry.startupMs);
    }
    if (entry.level >= WARN_LEVEL) problems.push({ level: entry.level, msg: entry.msg, line });
  });

  const signal = async (name: NodeJS.Signals, timeoutMs: number): Promise<ProcessExit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    pid: child.pid,
    spawnedAt,
    consuming,
    get startupMs() {
      return startupMs;
    },
    started,
    exited,
    problems,
    kill: () => signal('SIGKILL', 10_000),
    stop: (timeoutMs = 30_000) => signal('SIGTERM', timeoutMs),
  };
}

function parseLogLine(line: string): { level: number; msg: string; startupMs?: unknown } | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as { level?: unknown; msg?: unknown; startupMs?: unknown };
    if (typeof parsed.level !== 'number' || typeof parsed.msg !== 'string') return undefined;
    return { level: parsed.level, msg: parsed.msg, startupMs: parsed.startupMs };
  } catch {
    return undefined;
  }
}

/** Counts problem lines by message, for a report. */
export function countProblems(engines: readonly EngineProcess[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const engine of engines) {
    for (const problem of engine.problems) counts[problem.msg] = (counts[problem.msg] ?? 0) + 1;
  }
  return counts;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Repository root: the working folder of every child, so `src/cli/main.ts` resolves. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

/** pino's numeric level of `warn`. */
const WARN_LEVEL = 40;
/** Log lines kept for the error message when a child exits early. */
const TAIL_LINES = 20;

/** Options of {@link spawnSwitchyard}. */
export interface SwitchyardChildOptions {
  /** `switchyard` command and its arguments, such as `['engine']`. */
  readonly args: readonly string[];
  /** Environment variables on top of PATH and HOME (NATS_URL, SWITCHYARD_DATA_DIR, ...). */
  readonly env: Readonly<Record<string, string>>;
  /** Folder for a V8 CPU profile (`--cpu-prof`), written when the child exits normally. */
  readonly cpuProfileDir?: string;
  /** Receives every JSON log line of the child, parsed. */
  readonly onLog?: (entry: Readonly<Record<string, unknown>>) => void;
}

/** A `switchyard` child process started by a benchmark. */
export interface SwitchyardChild {
  readonly pid: number;
  /** Warning and error lines the child logged, counted by message. */
  readonly problems: ReadonlyMap<string, number>;
  /** Resolves with the exit code, or the signal name, when the child ends. */
  readonly exited: Promise<number | string>;
  /** Whether the child has ended. */
  readonly running: boolean;
  /** Sends SIGTERM (a clean stop) and waits; SIGKILL after `timeoutMs` (default 30,000). */
  stop(timeoutMs?: number): Promise<number | string>;
  /** The last log lines, for error messages. */
  tail(): string;
}

/**
 * Spawns `node --import tsx src/cli/main.ts <args>` in the repository with its own
 * environment, so it has an event loop of its own, and counts the warnings and errors in its
 * pino log on stderr.
 */
export function spawnSwitchyard(options: SwitchyardChildOptions): SwitchyardChild {
  const nodeArgs = options.cpuProfileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/cli/main.ts', ...options.args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
  });
  if (child.pid === undefined) throw new Error(`spawning switchyard ${options.args.join(' ')} failed: the child has no pid`);

  const problems = new Map<string, number>();
  const lines: string[] = [];
  let running = true;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve(code ?? signal ?? 'unknown');
    });
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    lines.push(line);
    if (lines.length > TAIL_LINES) lines.shift();
    const entry = parseLogLine(line);
    if (entry === undefined) return;
    options.onLog?.(entry);
    if (entry.level >= WARN_LEVEL) problems.set(entry.msg, (problems.get(entry.msg) ?? 0) + 1);
  });

  return {
    pid: child.pid,
    problems,
    exited,
    get running() {
      return running;
    },
    stop: async (timeoutMs = 30_000) => {
      if (running) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    tail: () => lines.join('\n'),
  };
}

function parseLogLine(line: string): (Record<string, unknown> & { level: number; msg: string }) | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    if (typeof parsed.level !== 'number' || typeof parsed.msg !== 'string') return undefined;
    return { ...parsed, level: parsed.level, msg: parsed.msg };
  } catch {
    return undefined;
  }
}

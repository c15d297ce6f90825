import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The Debian package that ships the server binary. */
const DEBIAN_PACKAGE = 'nats-server';
const SEARCH_PATH = ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin'];

/** A nats-server process this program started; `stop()` ends it and removes its temp store. */
export interface NatsServerHandle {
  /** Client URL, such as `nats://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** JetStream store folder. */
  readonly storeDir: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartNatsOptions {
  /** JetStream store folder; a new temp folder, removed on stop, when omitted. */
  storeDir?: string;
  /** Extra command line arguments for nats-server. */
  args?: string[];
  /** Install Debian's package when the binary is missing and the process runs as root. Default true. */
  installIfMissing?: boolean;
  /** How long to wait for the server to report its port, in milliseconds. Default 15000. */
  startTimeoutMs?: number;
}

/** Error raised when no nats-server binary can be found or installed. */
export class NatsServerMissingError extends Error {
  constructor(detail: string) {
    super(
      `nats-server was not found on PATH (${detail}). Install it with "sudo apt-get install -y ${DEBIAN_PACKAGE}" ` +
        'or set NATS_URL to a running server with JetStream enabled.',
    );
    this.name = 'NatsServerMissingError';
  }
}

/** Returns the path of the nats-server binary, or undefined when none is installed. */
export function findNatsServerBinary(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_PATH];
  for (const dir of dirs) {
    const candidate = join(dir, 'nats-server');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Returns the nats-server binary, installing Debian's package first when it is missing,
 * `allowInstall` is true and the process runs as root.
 */
export function ensureNatsServerBinary(allowInstall = true): string {
  const found = findNatsServerBinary();
  if (found !== undefined) return found;

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!allowInstall || !isRoot) throw new NatsServerMissingError(isRoot ? 'install disabled' : 'not running as root, so it was not installed');

  for (const args of [['update', '-qq'], ['install', '-y', '-qq', DEBIAN_PACKAGE]]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) throw new NatsServerMissingError(`"apt-get ${args.join(' ')}" exited with ${String(result.status)}`);
  }
  const installed = findNatsServerBinary();
  if (installed === undefined) throw new NatsServerMissingError(`package ${DEBIAN_PACKAGE} installed no binary`);
  return installed;
}

/**
 * Starts nats-server with JetStream on a free loopback port and waits until it reports
 * its port. The caller owns the handle and must call `stop()`.
 */
export async function startNatsServer(options: StartNatsOptions = {}): Promise<NatsServerHandle> {
  const binary = ensureNatsServerBinary(options.installIfMissing ?? true);
  const ownsStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'switchyard-nats-')));
  await mkdir(storeDir, { recursive: true });
  const portsDir = await mkdtemp(join(tmpdir(), 'switchyard-nats-ports-'));

  const args = ['-a', '127.0.0.1', '-p', '-1', '-js', '-sd', storeDir, '--ports_file_dir', portsDir, ...(options.args ?? [])];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(5000).then(() => true)]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await rm(portsDir, { recursive: true, force: true });
    if (ownsStore) await rm(storeDir, { recursive: true, force: true });
  };

  try {
    const url = await waitForPortsFile(child, portsDir, options.startTimeoutMs ?? 15_000, () => stderr);
    const port = Number(new URL(url).port);
    return { url, port, storeDir, process: child, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForPortsFile(child: ChildProcess, portsDir: string, timeoutMs: number, stderr: () => string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`nats-server exited with code ${child.exitCode} before it was ready: ${stderr().trim()}`);
    }
    const files = await readdir(portsDir);
    const portsFile = files.find((name) => name.endsWith('.ports'));
    if (portsFile !== undefined) {
      const text = await readFile(join(portsDir, portsFile), 'utf8').catch(() => '');
      const parsed = text === '' ? undefined : (JSON.parse(text) as { nats?: string[] });
      const url = parsed?.nats?.[0];
      if (url !== undefined) return url;
    }
    await sleep(20);
  }
  throw new Error(`nats-server did not report its port within ${timeoutMs} ms: ${stderr().trim()}`);
}

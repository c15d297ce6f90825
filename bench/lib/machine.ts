import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, platform, release, arch, loadavg } from 'node:os';
import { join } from 'node:path';

import { findNatsServerBinary } from '../../src/transport/natsServer.ts';

/** The machine and software a benchmark ran on. */
export interface MachineInfo {
  /** Logical cores seen by Node (`os.cpus().length`). */
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryMiB: number;
  /** Such as `linux 6.1.0 x64`. */
  readonly os: string;
  readonly node: string;
  /** `nats-server --version` output, or `not installed`. */
  readonly natsServer: string;
  /** Installed versions of the libraries under test, read from node_modules. */
  readonly libraries: Readonly<Record<string, string>>;
  /** 1, 5 and 15-minute load averages when the info was collected: other work on the machine skews wall-clock figures. */
  readonly loadAverage: readonly number[];
}

/** Libraries whose installed version every result records. */
export const BENCHMARKED_LIBRARIES = [
  'lmdb',
  'msgpackr',
  '@nats-io/transport-node',
  '@nats-io/jetstream',
  'xstate',
  'tinybench',
  'hdr-histogram-js',
] as const;

const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** Returns the version in `node_modules/NAME/package.json`, or `not installed`. */
export function installedVersion(name: string, root: string = PROJECT_ROOT): string {
  try {
    const text = readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8');
    const parsed = JSON.parse(text) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : 'unknown';
  } catch {
    return 'not installed';
  }
}

function natsServerVersion(): string {
  const binary = findNatsServerBinary();
  if (binary === undefined) return 'not installed';

  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 5000 });
  const output = `${result.stdout ?? ''}`.trim();
  return output === '' ? 'unknown' : output;
}

/** Collects cores, memory, CPU model, Node, nats-server and library versions. */
export function collectMachineInfo(): MachineInfo {
  const cpuList = cpus();
  const libraries: Record<string, string> = {};
  for (const name of BENCHMARKED_LIBRARIES) libraries[name] = installedVersion(name);

  return {
    cores: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 1024 / 1024),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    natsServer: natsServerVersion(),
    libraries,
    loadAverage: loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/** Formats machine info as one line, such as `2 cores AMD EPYC, 24105 MiB, Node v20.20.2`. */
export function describeMachine(info: MachineInfo): string {
  return `${info.cores} cores ${info.cpuModel}, ${info.memoryMiB} MiB, ${info.os}, Node ${info.node}, ${info.natsServer}, load ${info.loadAverage.join('/')}`;
}

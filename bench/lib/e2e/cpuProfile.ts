import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One node of a V8 `.cpuprofile` (the format `node --cpu-prof` writes). */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Time attributed to one function, package or area, in milliseconds and as a share of busy time. */
export interface ProfileEntry {
  readonly name: string;
  readonly ms: number;
  /** Share of busy (non-idle) samples, 0 to 1. */
  readonly share: number;
}

/** Summary of one CPU profile. */
export interface ProfileSummary {
  readonly file: string;
  /** Wall time the profile covers, in ms. */
  readonly wallMs: number;
  /** Time in samples that were not `(idle)`, in ms. */
  readonly busyMs: number;
  /** Self time by area (project folder, library or V8 bucket such as `(garbage collector)`). */
  readonly byArea: readonly ProfileEntry[];
  /** Self time of the busiest functions. */
  readonly topSelf: readonly ProfileEntry[];
  /** Total (self plus callees) time of chosen project functions, such as `planSourcing`. */
  readonly inclusive: readonly ProfileEntry[];
}

/** `file://` URL of the repository root, with a trailing slash. */
const REPO_URL = `${pathToFileURL(join(import.meta.dirname, '..', '..', '..')).href}/`;

/**
 * Returns the newest main-thread `.cpuprofile` in `dir`, or undefined when there is none.
 * Node names them `CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile`; the main thread
 * has thread id 0, and the tsx loader's worker thread writes a profile of its own.
 */
export async function newestProfile(dir: string): Promise<string | undefined> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile') && name.split('.')[4] === '0').sort();
  const last = files.at(-1);
  return last === undefined ? undefined : join(dir, last);
}

/** Path of a profiled script relative to the repository (or its URL when outside it). */
function fileOf(url: string): string {
  return url.startsWith(REPO_URL) ? url.slice(REPO_URL.length) : url.replace(/^file:\/\//, '');
}

/**
 * Names the area a frame belongs to: `src/<folder>` for project code, the npm package for
 * code under node_modules (`lmdb`, `@nats-io/jetstream`), `node:<module>` for Node's own
 * JavaScript, and V8's bucket names such as `(garbage collector)` or `(program)`.
 */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') === true ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
  }
  if (url.startsWith('node:')) return url;
  const parts = fileOf(url).split('/');
  return parts[0] === 'src' && parts.length > 2 ? `src/${parts[1] ?? ''}` : parts.join('/');
}

function sampleDurations(profile: CpuProfile): Map<number, number> {
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Each sample's duration is the gap to the next sample's timestamp.
  for (let index = 0; index < samples.length; index++) {
    const id = samples[index] as number;
    const duration = deltas[index + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, duration));
  }
  return selfUs;
}

function rank(totals: Map<string, number>, busyUs: number, limit: number): ProfileEntry[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, share: busyUs === 0 ? 0 : Math.round((us / busyUs) * 1000) / 1000 }));
}

/**
 * Reads a `.cpuprofile` and sums sample time by area and by function (self time), and the
 * total time under each function named in `inclusiveOf` (counted once per sample even when
 * the function recurses).
 */
export async function summarizeProfile(file: string, inclusiveOf: readonly string[] = [], limit = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = sampleDurations(profile);

  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>(inclusiveOf.map((name) => [name, 0]));
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (node === undefined || node.callFrame.functionName === '(idle)') continue;
    busyUs += us;
    const { functionName, url } = node.callFrame;
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
    // tsx compiles each file to few lines, so the file names a frame better than the line.
    const where = url === '' || url.includes('/node_modules/') || url.startsWith('node:') ? area : fileOf(url);
    const label = `${functionName || '(anonymous)'} ${url === '' ? '' : where}`.trim();
    byFunction.set(label, (byFunction.get(label) ?? 0) + us);

    const seen = new Set<string>();
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const name = byId.get(cursor)?.callFrame.functionName ?? '';
      if (inclusive.has(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + us);
      }
    }
  }

  return {
    file,
    wallMs: Math.round((profile.endTime - profile.startTime) / 1000),
    busyMs: Math.round(busyUs / 1000),
    byArea: rank(byArea, busyUs, limit),
    topSelf: rank(byFunction, busyUs, limit),
    inclusive: rank(inclusive, busyUs, inclusiveOf.length),
  };
}

/**
 * Runs the benchmark suites `bench/*.bench.ts`, one after another, each in its own process.
 *
 *   npm run bench              # every suite
 *   npm run bench -- NAME ...  # the named suites (file stem, such as `baselines`)
 *
 * Arguments after `--` that start with `--` are passed to every suite.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const BENCH_DIR = import.meta.dirname;
const SUFFIX = '.bench.ts';

/** Returns the stems of the suite files in bench/, sorted. */
export function listSuites(dir: string = BENCH_DIR): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length))
    .sort();
}

function main(): void {
  const args = process.argv.slice(2);
  const names = args.filter((arg) => !arg.startsWith('--'));
  const passThrough = args.filter((arg) => arg.startsWith('--'));
  const available = listSuites();
  const unknown = names.filter((name) => !available.includes(name));
  if (unknown.length > 0) throw new Error(`unknown suite(s) ${unknown.join(', ')}; available: ${available.join(', ')}`);

  const selected = names.length > 0 ? names : available;
  const failed: string[] = [];
  for (const name of selected) {
    console.log(`\n### ${name}`);
    const result = spawnSync(process.execPath, [...process.execArgv, join(BENCH_DIR, `${name}${SUFFIX}`), ...passThrough], { stdio: 'inherit' });
    if (result.status !== 0) failed.push(`${name} (exit ${String(result.status ?? result.signal)})`);
  }
  if (failed.length > 0) {
    console.error(`\nfailed suites: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main();

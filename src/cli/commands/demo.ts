import type { Command } from 'commander';
import { readSettings } from '../../config/settings.ts';
import { runDemo } from '../../demo/runDemo.ts';
import { createLogger } from '../../logging.ts';
import { loadRules } from '../loadRules.ts';
import { integer, isoDate, positiveNumber, share } from '../options.ts';
import { formatSummary } from '../printSummary.ts';

/** Adds `switchyard demo`. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('replay the bundled real orders end to end and print a summary')
    .option('--data <path>', 'UCI CSV file or folder to replay (default: the bundled subset)')
    .option('--from <date>', 'first invoice date to replay, YYYY-MM-DD', isoDate)
    .option('--to <date>', 'last invoice date to replay, YYYY-MM-DD', isoDate)
    .option('--speedup <factor>', 'simulated time per real time (43200 replays 12 hours per second)', positiveNumber, 43_200)
    .option('--seed <n>', 'seed of the generated fulfillment network', integer, 7)
    .option('--reject-rate <share>', 'share of allocations the simulated nodes reject, 0 to 1', share, 0.02)
    .option('--replenish-every <days>', 'simulated days between restocks of DCs and dropship vendors; 0 never restocks', integer, 3)
    .option('--settle-timeout <seconds>', 'longest wait for orders to settle after the last publish', positiveNumber, 300)
    .option('--no-progress', 'hide the progress bar')
    .action(async (options: { data?: string; from?: string; to?: string; speedup: number; seed: number; rejectRate: number; replenishEvery: number; settleTimeout: number; progress: boolean }) => {
      const settings = readSettings();
      const logger = createLogger('demo', process.env.SWITCHYARD_LOG_LEVEL ?? 'warn');
      const rules = await loadRules(settings.SWITCHYARD_RULES);
      const result = await runDemo({
        ...(options.data === undefined ? {} : { dataPath: options.data }),
        ...(options.from === undefined ? {} : { fromDate: options.from }),
        ...(options.to === undefined ? {} : { toDate: options.to }),
        speedup: options.speedup,
        seed: options.seed,
        rejectRate: options.rejectRate,
      replenishEveryDays: options.replenishEvery,
        natsUrl: settings.NATS_URL,
        dataDir: `${settings.SWITCHYARD_DATA_DIR}/demo`,
        rules,
        settleTimeoutSeconds: options.settleTimeout,
        progress: options.progress && process.stderr.isTTY,
        logger,
      });
      process.stdout.write(`${formatSummary(result.summary)}\n`);
      process.stdout.write(`summary written to ${result.summaryPath}\n`);
      if (!result.settled) {
        process.stderr.write('error: some orders had not settled when the settle timeout ran out\n');
        process.exitCode = 1;
      }
    });
}

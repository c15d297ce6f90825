import type { Command } from 'commander';
import { readSettings } from '../../config/settings.ts';
import { runEngineService } from '../engineService.ts';

/** Adds `switchyard engine`. */
export function registerEngine(program: Command): void {
  program
    .command('engine')
    .description('run the engine as a service (settings from the environment, see deploy/README.md)')
    .action(async () => {
      await runEngineService(readSettings());
    });
}

import { Command } from 'commander';
import { registerAgent } from './commands/agent.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEngine } from './commands/engine.ts';
import { registerNetwork } from './commands/network.ts';
import { registerPublish } from './commands/publish.ts';
import { registerStatus } from './commands/status.ts';
import { registerPackingSlip } from './commands/packingSlip.ts';

const program = new Command('switchyard').description('Real-time order orchestration engine').showHelpAfterError();
registerDemo(program);
registerEngine(program);
registerNetwork(program);
registerAgent(program);
registerPublish(program);
registerStatus(program);
registerPackingSlip(program);

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

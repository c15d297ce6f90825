import type { Command } from 'commander';
import { readSettings } from '../../config/settings.ts';
import { computeDemand, generateNetwork } from '../../data/network.ts';
import { readUciRecords, BUNDLED_UCI_PATH } from '../../data/uciReader.ts';
import { FulfillmentNodeSchema } from '../../domain/node.ts';
import { createLogger } from '../../logging.ts';
import { registerNodes } from '../../publish/registerNodes.ts';
import { connectNats } from '../../transport/connection.ts';
import { integer } from '../options.ts';

/** Adds `switchyard network seed`: registers the generated demo network with a running engine. */
export function registerNetwork(program: Command): void {
  const network = program.command('network').description('manage the fulfillment network');
  network
    .command('seed')
    .description('register the demo network generated from the bundled data (nodes and opening stock) with the engine')
    .option('--seed <n>', 'seed of the generated network', integer, 7)
    .option('--data <path>', 'UCI CSV file or folder the demand is computed from (default: the bundled subset)')
    .action(async (options: { seed: number; data?: string }) => {
      const settings = readSettings();
      if (settings.NATS_URL === undefined) throw new Error('NATS_URL is not set; expected the URL of the server the engine uses, such as nats://127.0.0.1:4222');
      const logger = createLogger('network', settings.SWITCHYARD_LOG_LEVEL);
      const demand = await computeDemand(readUciRecords({ path: options.data ?? BUNDLED_UCI_PATH }));
      const generated = generateNetwork({ seed: options.seed, demand });
      const nodes = generated.nodes.map((node) => FulfillmentNodeSchema.parse(node));
      const nc = await connectNats({ url: settings.NATS_URL, name: 'switchyard-network-seed', logger });
      try {
        await registerNodes(nc, nodes, generated.inventory, `seed-${options.seed}`);
        process.stdout.write(`registered ${nodes.length} nodes (seed ${options.seed})\n`);
      } finally {
        await nc.drain();
      }
    });
}

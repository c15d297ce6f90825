import type { Command } from 'commander';
import { readSettings } from '../../config/settings.ts';
import { startSimulatedAgents } from '../../demo/simulatedAgents.ts';
import { NodeIdSchema } from '../../domain/ids.ts';
import { createLogger } from '../../logging.ts';
import { connectNats } from '../../transport/connection.ts';
import { positiveNumber, share } from '../options.ts';

/** Adds `switchyard agent`: simulated node agents built on the embeddable NodeAgent library. */
export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('run simulated node agents that pick, pack, ship and deliver their work (stops on SIGTERM or SIGINT)')
    .option('--node <id...>', 'node ids to serve (default: SWITCHYARD_NODE_ID)')
    .option('--speedup <factor>', 'simulated time per real time for the work steps', positiveNumber, 3_600)
    .option('--reject-rate <share>', 'share of allocations to reject, 0 to 1', share, 0)
    .action(async (options: { node?: string[]; speedup: number; rejectRate: number }) => {
      const settings = readSettings();
      if (settings.NATS_URL === undefined) throw new Error('NATS_URL is not set; expected the URL of the server the engine uses, such as nats://127.0.0.1:4222');
      const nodeIds = options.node ?? (settings.SWITCHYARD_NODE_ID === undefined ? [] : [settings.SWITCHYARD_NODE_ID]);
      if (nodeIds.length === 0) throw new Error('no node id given; expected --node ID or SWITCHYARD_NODE_ID');
      for (const nodeId of nodeIds) {
        const parsed = NodeIdSchema.safeParse(nodeId);
        if (!parsed.success) throw new Error(`--node "${nodeId}" is invalid: ${parsed.error.issues[0]?.message ?? 'rejected'}`);
      }

      const logger = createLogger('agent', settings.SWITCHYARD_LOG_LEVEL);
      const nc = await connectNats({ url: settings.NATS_URL, name: `switchyard-agent-${nodeIds.join(',')}`, logger });
      const simulation = await startSimulatedAgents({ nc, nodeIds, logger, speedup: options.speedup, rejectRate: options.rejectRate });
      logger.info({ nodeIds }, 'node agents running');
      await new Promise<void>((resolve) => {
        process.once('SIGTERM', resolve);
        process.once('SIGINT', resolve);
      });
      await simulation.stop();
      await nc.drain();
    });
}

import { Presets, SingleBar } from 'cli-progress';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { basename, join } from 'node:path';
import { readSettings } from '../../config/settings.ts';
import { createLogger } from '../../logging.ts';
import { FORMAT_NAMES } from '../../publish/adapters/types.ts';
import { listFormats } from '../../publish/adapters/index.ts';
import { publishRecords, readFileRecords, writeRejections, type PublishFileSummary } from '../../publish/publishFile.ts';
import { connectNats } from '../../transport/connection.ts';
import { ensureStreams } from '../../transport/streams.ts';

/** Options of `switchyard publish`, as commander parses them. */
interface PublishOptions {
  format?: string;
  progress: boolean;
  rejections?: string;
}

/** Adds `switchyard publish FILE`: publishes a shop export or order feed as commands. */
export function registerPublish(program: Command): void {
  const formats = listFormats()
    .map(({ format, describe }) => `  ${format}: ${describe}`)
    .join('\n');
  program
    .command('publish')
    .description('publish the orders and cancellations of a file as commands to the engine (needs NATS_URL)')
    .argument('<file>', 'input file; a folder of UCI CSV files with --format uci-csv')
    .option('--format <name>', `input format: ${FORMAT_NAMES.join(', ')} (default: detected from the content)`)
    .option('--rejections <path>', 'file that lists every rejected record as JSON lines (default: SWITCHYARD_DATA_DIR/rejections/<file name>.rejections.jsonl)')
    .option('--no-progress', 'hide the progress bar (it is shown only when stderr is a terminal)')
    .addHelpText('after', `\nFormats:\n${formats}\n\nExits 1 when the file cannot be read (then nothing is published); rejected records alone do not fail the run.`)
    .action(async (path: string, options: PublishOptions) => {
      const settings = readSettings();
      if (settings.NATS_URL === undefined) throw new Error('NATS_URL is not set; expected the URL of the server the engine uses, such as nats://127.0.0.1:4222');

      const file = await readFileRecords(path, options.format);

      const nc = await connectNats({ url: settings.NATS_URL, name: 'switchyard-publish', logger: createLogger('publish', settings.SWITCHYARD_LOG_LEVEL) });
      const bar = options.progress && process.stderr.isTTY ? new SingleBar({ format: 'publishing [{bar}] {value}/{total} records', hideCursor: true }, Presets.shades_classic) : undefined;
      let summary: PublishFileSummary;
      try {
        // Creating missing streams lets orders wait in SY_COMMANDS until an engine starts.
        await ensureStreams(nc);
        bar?.start(file.records.length, 0);
        summary = await publishRecords({ nc, path, file, onProgress: (handled) => bar?.update(handled) });
      } finally {
        bar?.stop();
        await nc.drain();
      }

      process.stdout.write(formatPublishSummary(summary));
      if (summary.rejections.length > 0) {
        const listPath = options.rejections ?? join(settings.SWITCHYARD_DATA_DIR, 'rejections', `${basename(path)}.rejections.jsonl`);
        await writeRejections(listPath, summary.rejections);
        process.stdout.write(`${summary.rejections.length} rejected records, each with its full reason, are listed in ${listPath}\n`);
      }
    });
}

/** Formats a publish summary as two tables: the counts, then the rejections grouped by reason. */
export function formatPublishSummary(summary: PublishFileSummary): string {
  const counts = new Table({ head: ['figure', 'value'], style: { head: [], border: [] } });
  counts.push(
    ['file', summary.path],
    ['format', summary.format],
    ['records read', summary.recordsRead],
    ['orders published', summary.ordersPublished],
    ['cancellations published', summary.cancelsPublished],
    ['rejected', summary.rejections.length],
  );
  const out = [counts.toString()];

  if (summary.rejectionGroups.length > 0) {
    const groups = new Table({ head: ['rejected because', 'records', 'first record ids'], colWidths: [70, 9, 32], wordWrap: true, style: { head: [], border: [] } });
    for (const group of summary.rejectionGroups) {
      const more = group.count - group.recordIds.length;
      groups.push([group.reason, group.count, group.recordIds.join(', ') + (more > 0 ? ` and ${more} more` : '')]);
    }
    out.push(groups.toString());
  }
  return `${out.join('\n')}\n`;
}

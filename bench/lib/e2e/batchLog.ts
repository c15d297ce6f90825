import { LatencyHistogram } from '../histogram.ts';

/** Log message the engine writes at debug level after each command batch. */
const BATCH_MESSAGE = 'command batch applied';

/** p50 / p99 / max of one batch stage, in ms. */
export interface StageSummary {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Sum over every batch, in ms. */
  readonly total: number;
}

/** Where the engine's command batches spent their time, from its debug log. */
export interface BatchSummary {
  readonly batches: number;
  readonly messagesPerBatch: StageSummary;
  readonly publishedPerBatch: StageSummary;
  /** Applying the commands to the actors and writing LMDB (no wait). */
  readonly applyMs: StageSummary;
  /** Waiting for LMDB `flushed` (commit and fdatasync). */
  readonly flushMs: StageSummary;
  /** Publishing the batch's outbox and waiting for every JetStream ack. */
  readonly publishMs: StageSummary;
}

/** One stage's values, kept times 1,000 in an HDR histogram so that three decimals survive. */
class Stage {
  readonly #histogram = new LatencyHistogram();
  #total = 0;

  add(value: number): void {
    this.#histogram.recordUs(value * 1000);
    this.#total += value;
  }

  summary(): StageSummary {
    const { p50, p99, max } = this.#histogram.summary();
    return { p50: p50 / 1000, p99: p99 / 1000, max: max / 1000, total: Math.round(this.#total) };
  }
}

/**
 * Collects the engine's per-batch debug lines (`command batch applied` with `messages`,
 * `published`, `applyMs`, `flushMs` and `publishMs`) and summarizes each stage. Feed it the
 * engine child's parsed log lines; it needs `SWITCHYARD_LOG_LEVEL=debug`.
 */
export class BatchLog {
  #batches = 0;
  readonly #messages = new Stage();
  readonly #published = new Stage();
  readonly #apply = new Stage();
  readonly #flush = new Stage();
  readonly #publish = new Stage();

  /** Takes one parsed log line and keeps it when it is a batch line. */
  readonly add = (entry: Readonly<Record<string, unknown>>): void => {
    if (entry.msg !== BATCH_MESSAGE) return;
    const number = (name: string): number => (typeof entry[name] === 'number' ? entry[name] : 0);
    this.#batches += 1;
    this.#messages.add(number('messages'));
    this.#published.add(number('published'));
    this.#apply.add(number('applyMs'));
    this.#flush.add(number('flushMs'));
    this.#publish.add(number('publishMs'));
  };

  summary(): BatchSummary {
    return {
      batches: this.#batches,
      messagesPerBatch: this.#messages.summary(),
      publishedPerBatch: this.#published.summary(),
      applyMs: this.#apply.summary(),
      flushMs: this.#flush.summary(),
      publishMs: this.#publish.summary(),
    };
  }
}

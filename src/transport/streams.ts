import { jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { COMMAND_STREAM, EVENT_STREAM, WORK_STREAM, subjects } from './subjects.ts';

/** JetStream's duplicate window for `Nats-Msg-Id`, in nanoseconds (2 minutes). */
const DUPLICATE_WINDOW_NS = 120 * 1_000_000_000;

/** Options for `ensureStreams`. */
export interface StreamOptions {
  /** Replicas per stream: 1 on a single server, 3 on a cluster. Default 1. */
  replicas?: number;
}

/**
 * Creates the command, event and work streams (file storage) when they do not exist, and
 * leaves existing ones as they are.
 */
export async function ensureStreams(nc: NatsConnection, options: StreamOptions = {}): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  const replicas = options.replicas ?? 1;
  const wanted = [
    { name: COMMAND_STREAM, subjects: [subjects.commandsAll], retention: RetentionPolicy.Limits },
    { name: EVENT_STREAM, subjects: [subjects.eventsAll], retention: RetentionPolicy.Limits },
    { name: WORK_STREAM, subjects: [subjects.workAll], retention: RetentionPolicy.Limits },
  ];
  for (const stream of wanted) {
    try {
      await jsm.streams.info(stream.name);
    } catch {
      await jsm.streams.add({
        name: stream.name,
        subjects: stream.subjects,
        retention: stream.retention,
        storage: StorageType.File,
        num_replicas: replicas,
        duplicate_window: DUPLICATE_WINDOW_NS,
      });
    }
  }
  return jsm;
}

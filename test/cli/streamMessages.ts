import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { decode } from '../../src/transport/codec.ts';
import { ensureStreams } from '../../src/transport/streams.ts';
import { COMMAND_STREAM } from '../../src/transport/subjects.ts';

/** One message read back from a stream, decoded. */
export interface StreamMessage {
  subject: string;
  /** The `Nats-Msg-Id` header, or an empty string when the message has none. */
  msgId: string;
  payload: Record<string, unknown>;
}

/** Returns the number of messages in a stream (default `SY_COMMANDS`). */
export async function streamMessageCount(nc: NatsConnection, stream = COMMAND_STREAM): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(stream)).state.messages;
}

/** Reads every message of a stream (default `SY_COMMANDS`) in sequence order. */
export async function streamMessages(nc: NatsConnection, stream = COMMAND_STREAM): Promise<StreamMessage[]> {
  const jsm = await jetstreamManager(nc);
  const { state } = await jsm.streams.info(stream);
  const messages: StreamMessage[] = [];
  if (state.messages === 0) return messages;

  for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
    const stored = await jsm.streams.getMessage(stream, { seq });
    if (stored === null) continue;
    messages.push({ subject: stored.subject, msgId: stored.header?.get('Nats-Msg-Id') ?? '', payload: decode(stored.data) as Record<string, unknown> });
  }
  return messages;
}

/**
 * Deletes the command stream (default `SY_COMMANDS`) and creates it again, so a test starts from
 * zero messages and an empty duplicate window. A purge would keep the window's message ids.
 */
export async function recreateStream(nc: NatsConnection, stream = COMMAND_STREAM): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(stream);
  await ensureStreams(nc);
}

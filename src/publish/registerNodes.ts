import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { FulfillmentNode } from '../domain/node.ts';
import { encode } from '../transport/codec.ts';
import { MESSAGE_VERSION, RegisterNodeSchema, describeIssues } from '../transport/messages.ts';
import { subjects } from '../transport/subjects.ts';
import { publishWithRetry } from '../transport/publishWithRetry.ts';

/**
 * Publishes one `node.register` command per node with its opening stock. Keys are
 * `register:<reference>:<nodeId>`, so registering the same network twice has its effect once.
 */
export async function registerNodes(
  nc: NatsConnection,
  nodes: readonly FulfillmentNode[],
  inventory: Readonly<Record<string, Record<string, number>>>,
  reference: string,
): Promise<void> {
  const js = jetstream(nc);
  await Promise.all(
    nodes.map(async (node) => {
      const key = `register:${reference}:${node.nodeId}`;
      const message = { type: 'node.register', v: MESSAGE_VERSION, key, nodeId: node.nodeId, node, stock: inventory[node.nodeId] ?? {} };
      const parsed = RegisterNodeSchema.safeParse(message);
      if (!parsed.success) throw new Error(`node ${node.nodeId} cannot be registered: ${describeIssues(parsed.error, message)}`);
      await publishWithRetry(js, subjects.nodeCommand(node.nodeId, 'register'), encode(message), key);
    }),
  );
}

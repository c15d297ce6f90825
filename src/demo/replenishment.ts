import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { FulfillmentNode } from '../domain/node.ts';
import { decode, encode } from '../transport/codec.ts';
import { MESSAGE_VERSION } from '../transport/messages.ts';
import { subjects } from '../transport/subjects.ts';
import { publishWithRetry } from '../transport/publishWithRetry.ts';

/** Share of a SKU's opening stock below which a node is restocked. */
const REORDER_SHARE = 0.25;

/**
 * The demo's stand-in for a warehouse system: follows every node's on-hand stock from the
 * availability events and, when asked, posts receipts that bring distribution centers and
 * dropship vendors back to their opening stock for SKUs that ran low. Stores are not restocked.
 */
export class Replenishment {
  private readonly onHand = new Map<string, number>();
  private readonly subscription: Subscription;
  receiptsPublished = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly nodes: readonly FulfillmentNode[],
    private readonly opening: Readonly<Record<string, Record<string, number>>>,
  ) {
    this.subscription = nc.subscribe('sy.evt.node.*.availability', {
      callback: (error, message) => {
        if (error !== null) return;
        const event = decode(message.data) as { nodeId: string; changes: { sku: string; onHand: number }[] };
        for (const change of event.changes) this.onHand.set(`${event.nodeId}\u0000${change.sku}`, change.onHand);
      },
    });
  }

  /** Publishes receipts for every low SKU; `reference` (such as the simulated date) keys them. */
  async restock(reference: string): Promise<number> {
    const js = jetstream(this.nc);
    const publishes: Promise<unknown>[] = [];
    for (const node of this.nodes) {
      if (node.type === 'STORE') continue;
      for (const [sku, opening] of Object.entries(this.opening[node.nodeId] ?? {})) {
        const current = this.onHand.get(`${node.nodeId}\u0000${sku}`) ?? opening;
        if (current >= opening * REORDER_SHARE) continue;
        const key = `replenish:${node.nodeId}:${sku}:${reference}`;
        const command = { type: 'node.inventory', v: MESSAGE_VERSION, key, nodeId: node.nodeId, kind: 'receipt', sku, quantity: opening - current, at: new Date().toISOString() };
        publishes.push(publishWithRetry(js, subjects.nodeCommand(node.nodeId, 'inventory'), encode(command), key));
      }
    }
    await Promise.all(publishes);
    this.receiptsPublished += publishes.length;
    return publishes.length;
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

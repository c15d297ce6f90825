import type { Database } from 'lmdb';
import type { OrderContext } from '../machines/orderState.ts';

/**
 * Index of the orders waiting for each SKU, so that an inventory event wakes exactly the orders
 * it can help, without a polling loop. It is kept in memory and mirrored to LMDB row by row.
 */
export class BackorderIndex {
  private readonly bySku = new Map<string, Set<string>>();
  private readonly byOrder = new Map<string, Set<string>>();

  constructor(private readonly db: Database<true, [string, string]>) {
    for (const { key } of db.getRange()) this.add(key[0], key[1]);
  }

  /** Updates an order's entries from its context; a finished order has none. */
  sync(orderId: string, context: OrderContext | undefined, finished: boolean): void {
    const wanted = new Set<string>();
    if (context !== undefined && !finished) for (const line of context.lines) if (line.backordered > 0) wanted.add(line.sku);
    const current = this.byOrder.get(orderId) ?? new Set<string>();
    for (const sku of current) {
      if (wanted.has(sku)) continue;
      this.remove(sku, orderId);
      void this.db.remove([sku, orderId]);
    }
    for (const sku of wanted) {
      if (current.has(sku)) continue;
      this.add(sku, orderId);
      void this.db.put([sku, orderId], true);
    }
  }

  /** Orders waiting for a SKU, in the order they started waiting. */
  waitingFor(sku: string): string[] {
    return [...(this.bySku.get(sku) ?? [])];
  }

  /** Number of (SKU, order) entries. */
  get size(): number {
    let total = 0;
    for (const orders of this.bySku.values()) total += orders.size;
    return total;
  }

  private add(sku: string, orderId: string): void {
    let orders = this.bySku.get(sku);
    if (orders === undefined) this.bySku.set(sku, (orders = new Set()));
    orders.add(orderId);
    let skus = this.byOrder.get(orderId);
    if (skus === undefined) this.byOrder.set(orderId, (skus = new Set()));
    skus.add(sku);
  }

  private remove(sku: string, orderId: string): void {
    const orders = this.bySku.get(sku);
    orders?.delete(orderId);
    if (orders?.size === 0) this.bySku.delete(sku);
    const skus = this.byOrder.get(orderId);
    skus?.delete(sku);
    if (skus?.size === 0) this.byOrder.delete(orderId);
  }
}

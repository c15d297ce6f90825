/**
 * Stock model of the generated network, derived from the units ordered per SKU (D):
 * - 5% of SKUs, drawn at random, are understocked: only the main DC has them, with 30-70% of
 *   D, so that a replay runs out and backorders lines;
 * - every other SKU gets 110-160% of D spread over the DCs that carry it: the main DC carries
 *   90% of SKUs, the second British DC 60%, the continental DC 30% (70% of the most ordered
 *   quarter). Because no DC carries everything, large orders split across nodes;
 * - stores carry the most ordered quarter of SKUs, each SKU in about half the stores, with a
 *   few units each;
 * - each dropship vendor carries 8-15% of the well-stocked SKUs, with 30-80% of D each.
 * Quantities are whole units. A node has an entry only for SKUs it carries with stock.
 */
import type { FulfillmentNodeInput } from '../domain/node.ts';
import { randomBetween, randomInt, type Random } from './prng.ts';

/** Part a node plays in the stock model. */
export type NodeRole = 'main-dc' | 'dc' | 'store' | 'dropship';

/** A generated node with its role in the stock model. */
export interface NetworkNode {
  node: FulfillmentNodeInput;
  role: NodeRole;
}

/** Share of SKUs that get less stock than demand. */
const UNDERSTOCKED_SHARE = 0.05;
/** Share of SKUs, most ordered first, that stores carry. */
const STORE_ASSORTMENT_SHARE = 0.25;

interface DcPlan {
  nodeId: string;
  /** Chance of carrying a SKU, for ordinary and for most ordered SKUs. */
  carryChance: number;
  carryChancePopular: number;
  /** Relative share of the SKU's stock among the DCs that carry it. */
  weight: number;
}

function planDcs(nodes: readonly NetworkNode[]): DcPlan[] {
  const plans: DcPlan[] = [];
  for (const { node, role } of nodes) {
    if (role === 'main-dc') plans.push({ nodeId: node.nodeId, carryChance: 0.9, carryChancePopular: 0.9, weight: 0.55 });
    else if (role === 'dc' && node.groups?.includes('eu-dc')) {
      plans.push({ nodeId: node.nodeId, carryChance: 0.3, carryChancePopular: 0.7, weight: 0.15 });
    } else if (role === 'dc') plans.push({ nodeId: node.nodeId, carryChance: 0.6, carryChancePopular: 0.6, weight: 0.3 });
  }
  return plans;
}

function addStock(inventory: Record<string, Record<string, number>>, nodeId: string, sku: string, units: number): void {
  if (units <= 0) return;
  const stock = (inventory[nodeId] ??= {});
  stock[sku] = (stock[sku] ?? 0) + units;
}

/** Spreads `total` units over the carrying DCs by weight; the first carrier takes the remainder. */
function spreadOverDcs(inventory: Record<string, Record<string, number>>, carriers: readonly DcPlan[], sku: string, total: number): void {
  const weightSum = carriers.reduce((sum, plan) => sum + plan.weight, 0);
  let assigned = 0;
  for (const plan of carriers.slice(1)) {
    const units = Math.floor((total * plan.weight) / weightSum);
    addStock(inventory, plan.nodeId, sku, units);
    assigned += units;
  }
  addStock(inventory, (carriers[0] as DcPlan).nodeId, sku, total - assigned);
}

/**
 * Generates whole-unit stock per node and SKU from the units ordered per SKU, using the
 * model in the file header. The result maps node id to SKU to units.
 */
export function generateInventory(
  random: Random,
  nodes: readonly NetworkNode[],
  skuUnits: ReadonlyMap<string, number>,
): Record<string, Record<string, number>> {
  const inventory: Record<string, Record<string, number>> = {};
  for (const { node } of nodes) inventory[node.nodeId] = {};

  const skus = [...skuUnits.keys()].sort();
  const byDemand = [...skus].sort((a, b) => (skuUnits.get(b) ?? 0) - (skuUnits.get(a) ?? 0) || (a < b ? -1 : 1));
  const popular = new Set(byDemand.slice(0, Math.ceil(byDemand.length * STORE_ASSORTMENT_SHARE)));

  const dcs = planDcs(nodes);
  const mainDc = dcs[0];
  if (mainDc === undefined) throw new Error('generateInventory: no DC among the nodes; expected a main DC');
  const stores = nodes.filter((entry) => entry.role === 'store').map((entry) => entry.node.nodeId);
  const vendors = nodes
    .filter((entry) => entry.role === 'dropship')
    .map((entry) => ({ nodeId: entry.node.nodeId, share: randomBetween(random, 0.08, 0.15) }));

  for (const sku of skus) {
    const units = skuUnits.get(sku) ?? 0;
    if (units <= 0) continue;

    if (random() < UNDERSTOCKED_SHARE) {
      addStock(inventory, mainDc.nodeId, sku, Math.floor(units * randomBetween(random, 0.3, 0.7)));
      continue;
    }

    const isPopular = popular.has(sku);
    const carriers = dcs.filter((plan) => random() < (isPopular ? plan.carryChancePopular : plan.carryChance));
    spreadOverDcs(inventory, carriers.length > 0 ? carriers : [mainDc], sku, Math.ceil(units * randomBetween(random, 1.1, 1.6)));

    if (isPopular) {
      for (const store of stores) {
        if (random() < 0.5) addStock(inventory, store, sku, randomInt(random, 1, Math.max(2, Math.ceil(units * 0.03))));
      }
    }
    for (const vendor of vendors) {
      if (random() < vendor.share) addStock(inventory, vendor.nodeId, sku, Math.ceil(units * randomBetween(random, 0.3, 0.8)));
    }
  }
  return inventory;
}

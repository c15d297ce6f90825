import { FulfillmentNodeSchema, type FulfillmentNode } from '../../../src/domain/node.ts';

/** Builds the distribution center in Leeds that the single-node crash tests use, with its own id and name. */
export function leedsNode(nodeId: string, name: string): FulfillmentNode {
  return FulfillmentNodeSchema.parse({
    nodeId,
    name,
    type: 'DC',
    city: 'Leeds',
    country: 'GB',
    lat: 53.8,
    lon: -1.55,
    timeZone: 'Europe/London',
    dailyCapacity: 1_000,
    cutoffLocal: '23:59',
    handlingCostMinor: 100,
  });
}

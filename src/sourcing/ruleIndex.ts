import type { NodeState } from './types.ts';
import type { Rule } from './ruleSchema.ts';

/**
 * Tier and exclusion of each node of a network under one rule, computed once per (node list, rule) pair:
 * the engine hands the same node list to every decision until a node changes, so decisions
 * skip the tier checks. The node id lists are frozen because plans share them.
 */
export interface RuleIndex {
  /** Positions in the node list, per tier (first matching tier wins), in list order. */
  tierPositions: Int32Array[];
  /** Node ids per tier, for explanations of tiers that were not searched. */
  tierNodeIds: readonly (readonly string[])[];
  /** Nodes that match no tier, grouped by reason. */
  staticExclusions: readonly { reason: string; nodeIds: readonly string[] }[];
}

const cache = new WeakMap<readonly NodeState[], WeakMap<Rule, RuleIndex>>();

/** Returns the index of a node list under a rule, from the cache when the same list was seen. */
export function ruleIndexFor(nodes: readonly NodeState[], rule: Rule): RuleIndex {
  let byRule = cache.get(nodes);
  if (byRule === undefined) cache.set(nodes, (byRule = new WeakMap()));
  let index = byRule.get(rule);
  if (index === undefined) byRule.set(rule, (index = buildRuleIndex(nodes, rule)));
  return index;
}

function tierOf(rule: Rule, state: NodeState): number {
  const node = state.node;
  for (let tier = 0; tier < rule.tiers.length; tier++) {
    const spec = rule.tiers[tier];
    if (spec === undefined) continue;
    if (spec.types.includes(node.type) || spec.nodes.includes(node.nodeId)) return tier;
    if (spec.groups.length > 0 && node.groups.some((group) => spec.groups.includes(group))) return tier;
  }
  return -1;
}

function buildRuleIndex(nodes: readonly NodeState[], rule: Rule): RuleIndex {
  const positions: number[][] = rule.tiers.map(() => []);
  const notInTier: string[] = [];
  const byNode: string[] = [];
  const byGroup: string[] = [];
  const excludedGroups = rule.exclude.groups;

  nodes.forEach((state, position) => {
    const node = state.node;
    const tier = tierOf(rule, state);
    if (tier < 0) notInTier.push(node.nodeId);
    else if (rule.exclude.nodes.includes(node.nodeId)) byNode.push(node.nodeId);
    else if (excludedGroups.length > 0 && node.groups.some((group) => excludedGroups.includes(group))) byGroup.push(node.nodeId);
    else positions[tier]?.push(position);
  });

  const staticExclusions = [
    { reason: `type and groups match no tier of rule "${rule.id}"`, nodeIds: Object.freeze(notInTier) },
    { reason: `excluded by rule "${rule.id}"`, nodeIds: Object.freeze(byNode) },
    { reason: `in a group excluded by rule "${rule.id}"`, nodeIds: Object.freeze(byGroup) },
  ].filter((group) => group.nodeIds.length > 0);

  return {
    tierPositions: positions.map((list) => Int32Array.from(list)),
    tierNodeIds: positions.map((list) => Object.freeze(list.map((position) => nodes[position]?.node.nodeId ?? ''))),
    staticExclusions,
  };
}

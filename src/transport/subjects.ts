/**
 * NATS subject hierarchy. Every order and node id is one subject token, so consumers can
 * subscribe with wildcards: `sy.evt.order.<orderId>.>` for all events of one order,
 * `sy.evt.order.*.shipped` for one event type across orders.
 */
export const SUBJECT_PREFIX = 'sy';

/** JetStream stream of commands: orders, node reports and inventory events. */
export const COMMAND_STREAM = 'SY_COMMANDS';
/** JetStream stream of status events, replayable by subscribers that were down. */
export const EVENT_STREAM = 'SY_EVENTS';
/** JetStream stream of allocations released to node agents, one filter subject per node. */
export const WORK_STREAM = 'SY_WORK';

export const subjects = {
  commandsAll: `${SUBJECT_PREFIX}.cmd.>`,
  eventsAll: `${SUBJECT_PREFIX}.evt.>`,
  workAll: `${SUBJECT_PREFIX}.work.>`,

  orderCommand: (orderId: string, verb: string) => `${SUBJECT_PREFIX}.cmd.order.${orderId}.${verb}`,
  nodeCommand: (nodeId: string, verb: string) => `${SUBJECT_PREFIX}.cmd.node.${nodeId}.${verb}`,
  orderEvent: (orderId: string, type: string) => `${SUBJECT_PREFIX}.evt.order.${orderId}.${type}`,
  nodeEvent: (nodeId: string, type: string) => `${SUBJECT_PREFIX}.evt.node.${nodeId}.${type}`,
  commandError: (kind: string) => `${SUBJECT_PREFIX}.evt.error.${kind}`,
  work: (nodeId: string) => `${SUBJECT_PREFIX}.work.${nodeId}`,
  /** Core NATS liveness heartbeat of a node agent. */
  heartbeat: (nodeId: string) => `${SUBJECT_PREFIX}.hb.${nodeId}`,
  heartbeatsAll: `${SUBJECT_PREFIX}.hb.*`,
  orderQuery: (orderId: string) => `${SUBJECT_PREFIX}.q.order.${orderId}`,
  nodeQuery: (nodeId: string) => `${SUBJECT_PREFIX}.q.node.${nodeId}`,
} as const;

/**
 * Public API of the package: the engine and its store, the embeddable node agent, the
 * sourcing planner, the publisher and the message and order schemas.
 */
export { Engine, type EngineOptions } from './engine/engine.ts';
export { openEngineStore, type EngineStore } from './storage/engineStore.ts';
export { NodeAgent, type NodeAgentOptions, type ShipmentDetails } from './actors/nodeAgent.ts';
export { planSourcing, parseRuleSet, DEFAULT_RULE_SET } from './sourcing/index.ts';
export { loadRuleSet } from './sourcing/loadRuleSet.ts';
export { CommandPublisher } from './publish/commandPublisher.ts';
export { registerNodes } from './publish/registerNodes.ts';
export { OrderSchema, type Order, type OrderInput } from './domain/order.ts';
export { FulfillmentNodeSchema, type FulfillmentNode } from './domain/node.ts';
export { CommandSchema, WorkOrderSchema, type Command, type WorkOrder } from './transport/messages.ts';
export { subjects } from './transport/subjects.ts';
export { startNatsServer } from './transport/natsServer.ts';

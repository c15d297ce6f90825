import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../logging.ts';
import type { OrderContext } from '../machines/orderState.ts';
import { encode } from '../transport/codec.ts';
import type { Engine } from './engine.ts';

/**
 * Replies to request/reply queries: `sy.q.order.<orderId>` returns the order's status, lines,
 * allocations and timeline; `sy.q.node.<nodeId>` returns its status, capacity and load.
 */
export function answerQueries(nc: NatsConnection, engine: Engine, logger: Logger): Subscription[] {
  const orderQueries = nc.subscribe('sy.q.order.*', {
    callback: (error, message) => {
      if (error !== null) {
        logger.error({ err: error }, 'order query subscription failed');
        return;
      }
      const orderId = message.subject.split('.')[3] ?? '';
      const context = orderContext(engine, orderId);
      message.respond(encode(context === undefined ? { error: `order ${orderId} was not found` } : describeOrder(context)));
    },
  });
  const nodeQueries = nc.subscribe('sy.q.node.*', {
    callback: (error, message) => {
      if (error !== null) {
        logger.error({ err: error }, 'node query subscription failed');
        return;
      }
      const nodeId = message.subject.split('.')[3] ?? '';
      const actor = engine.nodes.get(nodeId);
      if (actor === undefined) {
        message.respond(encode({ error: `node ${nodeId} was not found` }));
        return;
      }
      const snapshot = actor.getSnapshot();
      const { node, capacity, reservations, inventory } = snapshot.context;
      let onHand = 0;
      let reserved = 0;
      for (const level of Object.values(inventory)) {
        onHand += level.onHand;
        reserved += level.reserved;
      }
      message.respond(
        encode({ nodeId, status: snapshot.value, type: node.type, capacity: { ...capacity, daily: node.dailyCapacity }, openReservations: Object.keys(reservations).length, skus: Object.keys(inventory).length, onHand, reserved }),
      );
    },
  });
  return [orderQueries, nodeQueries];
}

function orderContext(engine: Engine, orderId: string): OrderContext | undefined {
  const live = engine.orders.get(orderId);
  return live?.getSnapshot().context;
}

function describeOrder(context: OrderContext): Record<string, unknown> {
  return {
    orderId: context.orderId,
    status: context.status,
    order: context.order,
    rejection: context.rejection,
    holdReason: context.holdReason,
    lines: context.lines,
    allocations: context.allocations,
    timeline: context.timeline,
  };
}

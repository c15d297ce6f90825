/**
 * Order statuses reported on events. `backordered` and `on_hold` are waiting statuses;
 * `delivered`, `cancelled` and `rejected` are terminal.
 */
export const ORDER_STATUSES = [
  'created',
  'processing',
  'backordered',
  'on_hold',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
  'rejected',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set(['delivered', 'cancelled', 'rejected']);
export const WAITING_STATUSES: ReadonlySet<OrderStatus> = new Set(['backordered', 'on_hold']);

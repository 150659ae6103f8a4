/**
 * What other packages need to run a REAL order-service (e.g. `@switchyard/test-backends`): the
 * declaration production runs, and its migrations folder. Exported as
 * `@switchyard/order-service/testing`; nothing else of the service is public.
 */

// The event builders the use cases call (the outbox path) and the projections that consume
// events, for the event contracts (tools/contracts): provider verification and consumer tests.
export type { Order } from "./domain/order.js";
export {
  orderCancelledEvent,
  orderPlacedEvent,
  orderStatusChangedEvent,
} from "./events/order-events.js";
export { orderServiceName } from "./grpc/order-service-handlers.js";
export { migrationsFolder, orderService, projectionConsumersName } from "./order-service.js";
export { customerProjection } from "./projections/customer-from-user-event.js";
export { orderServiceProjections } from "./projections/order-service-projections.js";
export { orderSummaryProjection } from "./projections/order-summary-projection.js";
export type { Projection } from "./projections/projection.js";

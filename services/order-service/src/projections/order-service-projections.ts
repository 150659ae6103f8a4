import { customerProjection } from "./customer-from-user-event.js";
import { orderSummaryProjection } from "./order-summary-projection.js";
import type { Projection } from "./projection.js";

/** Every projection order-service keeps: what main.ts consumes and `projections rebuild` replays. */
export const orderServiceProjections: readonly Projection[] = [
  customerProjection,
  orderSummaryProjection,
];

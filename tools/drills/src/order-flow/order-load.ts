import * as grpc from "@grpc/grpc-js";

/** Places one order for `customerId` and resolves with its id; rejects with a gRPC error. */
export type PlaceOrder = (customerId: string) => Promise<string>;

export interface OrderLoadTotals {
  attempted: number;
  /** Ids of the orders the service confirmed, in the order the answers came. */
  placedOrderIds: string[];
  /** Failed calls by gRPC status name (UNAVAILABLE, DEADLINE_EXCEEDED, …; UNKNOWN for non-gRPC). */
  failuresByCode: Record<string, number>;
}

export interface RunningOrderLoad {
  /** Counts so far (copies). */
  totals(): OrderLoadTotals;
  /** Stops starting calls, waits for the ones in flight, returns the final counts. */
  stop(): Promise<OrderLoadTotals>;
}

/**
 * Places orders at a steady rate (open loop: a slow answer does not slow the arrivals), at most
 * `maxInFlight` at a time — an arrival that finds them all busy is skipped, not queued, so a
 * stall shows as fewer attempts instead of a burst later. Customers are taken round-robin.
 */
export function startOrderLoad(options: {
  placeOrder: PlaceOrder;
  customerIds: readonly string[];
  ratePerSecond: number;
  maxInFlight: number;
}): RunningOrderLoad {
  const { placeOrder, customerIds } = options;
  if (customerIds.length === 0) throw new Error("order load: no customers to order for");
  const totals: OrderLoadTotals = { attempted: 0, placedOrderIds: [], failuresByCode: {} };
  const inFlight = new Set<Promise<void>>();
  let next = 0;

  const timer = setInterval(() => {
    if (inFlight.size >= options.maxInFlight) return;
    const customerId = customerIds[next++ % customerIds.length] as string;
    totals.attempted += 1;
    const call = placeOrder(customerId).then(
      (orderId) => {
        totals.placedOrderIds.push(orderId);
      },
      (error: unknown) => {
        const code = statusName(error);
        totals.failuresByCode[code] = (totals.failuresByCode[code] ?? 0) + 1;
      },
    );
    const tracked = call.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }, 1000 / options.ratePerSecond);

  const copy = (): OrderLoadTotals => ({
    attempted: totals.attempted,
    placedOrderIds: [...totals.placedOrderIds],
    failuresByCode: { ...totals.failuresByCode },
  });
  return {
    totals: copy,
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return copy();
    },
  };
}

function statusName(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "number" ? (grpc.status[code] ?? `code ${code}`) : "UNKNOWN";
}

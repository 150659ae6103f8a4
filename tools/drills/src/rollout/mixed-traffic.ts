import { codeOf } from "../edge-flow/connect-call-load.js";
import type { EdgeBalancer } from "./edge-balancer.js";

/** One request of the mix: what it was, when it started, how long it took, how it ended. */
export interface TrafficSample {
  kind: TrafficKind;
  startedAt: number;
  ms: number;
  /** "ok", a Connect code, "replayed a different order", "no gateway in rotation", "network (ECONNRESET)", "hung". */
  code: string;
  /** A dashboard that arrived with sections marked degraded (200, incomplete). */
  degraded?: boolean;
  /** For a failure: the gateway asked and what it (or the network) said. */
  detail?: string;
}

export type TrafficKind = "user read" | "order read" | "keyed write" | "keyed replay" | "dashboard";

export interface Customer {
  userId: string;
  authorization: string;
}

/**
 * Mixed traffic through the gateways, open loop at `ratePerSecond` (a slow answer does not slow
 * the arrivals): user reads (v2 GetUser), order reads (v1 ListOrders), PlaceOrder with a fresh
 * Idempotency-Key, every fifth write the previous one again with its key (must answer the same
 * order), and dashboards (GetDashboard through web-bff). No retries: every failure counts.
 */
export function startMixedTraffic(options: {
  balancer: EdgeBalancer;
  customers: Customer[];
  ratePerSecond: number;
  timeoutMs: number;
  /** Unique per run, so keys never collide with an earlier run's. */
  keyPrefix: string;
}) {
  const samples: TrafficSample[] = [];
  const inFlight = new Set<Promise<void>>();
  let tick = 0;
  let writes = 0;
  let lastWrite: { customer: Customer; key: string; body: unknown; orderId?: string } | undefined;

  const send = async (kind: TrafficKind, customer: Customer) => {
    const startedAt = Date.now();
    const record = (code: string, extra: { degraded?: boolean; detail?: string } = {}) =>
      samples.push({
        kind,
        startedAt,
        ms: Date.now() - startedAt,
        code,
        ...(extra.degraded ? { degraded: true } : {}),
        ...(extra.detail === undefined ? {} : { detail: extra.detail.slice(0, 200) }),
      });
    const baseUrl = options.balancer.pick();
    if (baseUrl === undefined) {
      record("no gateway in rotation");
      return;
    }
    let procedure: string;
    let body: unknown;
    const headers: Record<string, string> = { authorization: customer.authorization };
    let replayOf: typeof lastWrite;
    switch (kind) {
      case "user read":
        procedure = "switchyard.edge.v2.UserService/GetUser";
        body = { userId: customer.userId };
        break;
      case "order read":
        procedure = "switchyard.edge.v1.OrderService/ListOrders";
        body = { customerId: customer.userId, pageSize: 5 };
        break;
      case "dashboard":
        procedure = "switchyard.bff.web.v1.WebService/GetDashboard";
        body = { customerId: customer.userId };
        break;
      case "keyed replay":
        replayOf = lastWrite;
        if (replayOf === undefined) return;
        procedure = "switchyard.edge.v1.OrderService/PlaceOrder";
        body = replayOf.body;
        headers.authorization = replayOf.customer.authorization;
        headers["idempotency-key"] = replayOf.key;
        break;
      case "keyed write": {
        procedure = "switchyard.edge.v1.OrderService/PlaceOrder";
        body = {
          customerId: customer.userId,
          currencyCode: "EUR",
          lines: [{ sku: "ROLL-1", quantity: 1, unitPriceCents: "450" }],
        };
        headers["idempotency-key"] = `${options.keyPrefix}-${++writes}`;
        break;
      }
    }
    try {
      const response = await fetch(`${baseUrl}/${procedure}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const text = await response.text();
      const code = codeOf(response.status, text);
      if (code !== "ok") {
        record(code, { detail: `${baseUrl}: ${response.status} ${text}` });
        return;
      }
      const answer = JSON.parse(text) as {
        order?: { orderId?: string };
        degradedSections?: unknown[];
      };
      if (kind === "keyed write") {
        lastWrite = {
          customer,
          key: headers["idempotency-key"] ?? "",
          body,
          ...(answer.order?.orderId ? { orderId: answer.order.orderId } : {}),
        };
      }
      if (kind === "keyed replay" && answer.order?.orderId !== replayOf?.orderId) {
        record("replayed a different order", {
          detail: `${baseUrl}: ${answer.order?.orderId} instead of ${replayOf?.orderId}`,
        });
        return;
      }
      record("ok", {
        degraded: kind === "dashboard" && (answer.degradedSections?.length ?? 0) > 0,
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === "TimeoutError" || name === "AbortError") {
        record("hung", { detail: `${baseUrl}: no answer in ${options.timeoutMs} ms` });
      } else {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        record(`network (${cause?.code ?? "fetch failed"})`, {
          detail: `${baseUrl}: ${cause?.message ?? (error as Error).message}`,
        });
      }
    }
  };

  const kinds: TrafficKind[] = ["user read", "order read", "keyed write", "dashboard"];
  const timer = setInterval(() => {
    tick += 1;
    const customer = options.customers[tick % options.customers.length];
    if (customer === undefined) return;
    let kind = kinds[tick % kinds.length] ?? "user read";
    if (kind === "keyed write" && writes > 0 && writes % 5 === 0 && lastWrite?.orderId) {
      kind = "keyed replay";
      writes += 1;
    }
    const done = send(kind, customer);
    const tracked = done.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }, 1000 / options.ratePerSecond);

  return {
    samples: (): readonly TrafficSample[] => samples,
    /** Stops starting requests and waits for those in flight. */
    async stop(): Promise<readonly TrafficSample[]> {
      clearInterval(timer);
      await Promise.all(inFlight);
      return samples;
    },
  };
}

import { randomUUID } from "node:crypto";
import { type ConnectCallOptions, type ConnectOutcome, callConnectJson } from "./connect-json.js";
import type { LatencyRecorder } from "./latency-recorder.js";

const userV1 = "switchyard.edge.v1.UserService";
const userV2 = "switchyard.edge.v2.UserService";
const orderV1 = "switchyard.edge.v1.OrderService";
const orderV2 = "switchyard.edge.v2.OrderService";
const web = "switchyard.bff.web.v1.WebService";

const givenNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken"];
const familyNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen"];
const catalog = [
  { sku: "tea-sencha", cents: 1250 },
  { sku: "cup-stoneware", cents: 899 },
  { sku: "kettle-steel", cents: 4_500 },
  { sku: "honey-jar", cents: 675 },
  { sku: "biscuits", cents: 320 },
];

/** What the demo checks beyond status codes, shown under the summary table. */
export interface JourneyTally {
  usersRegistered: number;
  ordersPlaced: number;
  retries: number;
  /** Retries with the same Idempotency-Key that did NOT get the original order back. */
  retriesMismatched: number;
  badRequests: number;
  /** Bad requests answered with another code than the one they deserve. */
  badRequestsMisanswered: string[];
  dashboards: number;
  dashboardsDegraded: number;
  /**
   * Complete dashboards, read right after an order was placed, that do not list that order:
   * the customer did not see their own write (the gateway's dashboard cache must drop them).
   */
  dashboardsMissingOwnOrder: number;
  /** Calls that should have worked and did not: "PlaceOrder v1: unavailable …". */
  unexpectedErrors: string[];
}

export function emptyTally(): JourneyTally {
  return {
    usersRegistered: 0,
    ordersPlaced: 0,
    retries: 0,
    retriesMismatched: 0,
    badRequests: 0,
    badRequestsMisanswered: [],
    dashboards: 0,
    dashboardsDegraded: 0,
    dashboardsMissingOwnOrder: 0,
    unexpectedErrors: [],
  };
}

export interface JourneyContext {
  gatewayUrl: string;
  recorder: LatencyRecorder;
  tally: JourneyTally;
  random: () => number;
  /** True once the run's time is up: the journey stops at its next step. */
  shouldStop: () => boolean;
  /** Unique per run, so emails never collide with an earlier run's. */
  runId: string;
  /** An access token for `subject` (the dev token issuer: `npm run token`). */
  tokenFor: (subject: string, scopes?: string[]) => Promise<string>;
  /** An access token with the admin scope, for the cross-user reads an operator makes. */
  adminToken: string;
}

interface WireOrder {
  orderId: string;
}

/**
 * One customer's visit, through the gateway only: register (v1 or v2; signup needs no token),
 * get an access token for the new user and act as them from then on: look themselves up with
 * Connect GET, place `orderCount` orders (v1 and v2 alternating; some retried with the same
 * Idempotency-Key, some cancelled), read their own dashboard after each order, open the last
 * order's page, list orders; an operator with an admin token then reads their dashboard; every
 * fourth customer also sends one deliberately bad request.
 */
export async function runCustomerJourney(
  context: JourneyContext,
  index: number,
  orderCount: number,
): Promise<void> {
  const { random, tally } = context;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const useV2 = index % 2 === 1;
  const givenName = pick(givenNames);
  const familyName = pick(familyNames);
  const email = `${givenName.toLowerCase()}.${index}.${context.runId}@demo.example`;

  // Set once the customer exists: every later call acts as them (unless it says otherwise).
  let authorization: string | undefined;
  const call = async <T>(
    operation: string,
    procedure: string,
    body: unknown,
    options: ConnectCallOptions & { expectCode?: string } = {},
  ): Promise<ConnectOutcome<T>> => {
    const headers = {
      ...(authorization === undefined ? {} : { authorization }),
      ...options.headers,
    };
    const outcome = await callConnectJson<T>(context.gatewayUrl, procedure, body, {
      ...options,
      headers,
    });
    context.recorder.record(operation, outcome);
    if (options.expectCode !== undefined) {
      tally.badRequests += 1;
      if (outcome.code !== options.expectCode) {
        tally.badRequestsMisanswered.push(
          `${operation}: expected ${options.expectCode}, got ${outcome.ok ? "success" : outcome.code}`,
        );
      }
    } else if (!outcome.ok && tally.unexpectedErrors.length < 1_000) {
      tally.unexpectedErrors.push(`${operation}: ${outcome.code} ${outcome.message ?? ""}`.trim());
    }
    return outcome;
  };
  const think = () => new Promise((resolve) => setTimeout(resolve, 10 + random() * 50));

  const registered = useV2
    ? await call<{ user: { userId: string } }>("RegisterUser v2", `${userV2}/RegisterUser`, {
        email,
        givenName,
        familyName,
      })
    : await call<{ user: { userId: string } }>("RegisterUser v1", `${userV1}/RegisterUser`, {
        email,
        fullName: `${givenName} ${familyName}`,
      });
  const customerId = registered.body?.user.userId;
  if (customerId === undefined) return;
  tally.usersRegistered += 1;
  authorization = `Bearer ${await context.tokenFor(customerId)}`;

  await think();
  await call(
    "GetUser v1 (Connect GET)",
    `${userV1}/GetUser`,
    { userId: customerId },
    { method: "GET" },
  );

  let lastOrderId: string | undefined;
  for (let k = 0; k < orderCount && !context.shouldStop(); k++) {
    await think();
    const lines = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      item: pick(catalog),
      quantity: 1 + Math.floor(random() * 4),
    }));
    const orderV2Style = k % 2 === 1;
    const [operation, procedure, request] = orderV2Style
      ? [
          "PlaceOrder v2",
          `${orderV2}/PlaceOrder`,
          {
            customerId,
            lines: lines.map(({ item, quantity }) => ({
              sku: item.sku,
              quantity,
              unitPrice: {
                currencyCode: "EUR",
                units: String(Math.trunc(item.cents / 100)),
                nanos: (item.cents % 100) * 10_000_000,
              },
            })),
          },
        ]
      : [
          "PlaceOrder v1",
          `${orderV1}/PlaceOrder`,
          {
            customerId,
            currencyCode: "EUR",
            lines: lines.map(({ item, quantity }) => ({
              sku: item.sku,
              quantity,
              unitPriceCents: String(item.cents),
            })),
          },
        ];
    const headers = { "idempotency-key": randomUUID() };
    const placed = await call<{ order: WireOrder }>(operation, procedure, request, { headers });
    const orderId = placed.body?.order.orderId;
    if (orderId === undefined) continue;
    tally.ordersPlaced += 1;
    lastOrderId = orderId;

    // A client that lost the response retries with the same key: it must get the same order.
    if (random() < 0.1) {
      const retried = await call<{ order: WireOrder }>(
        "PlaceOrder retry (same key)",
        procedure,
        request,
        { headers },
      );
      tally.retries += 1;
      if (retried.ok && retried.body?.order.orderId !== orderId) tally.retriesMismatched += 1;
    }

    await think();
    // No customer_id: the dashboard of the user the token is for.
    const dashboard = await call<{
      degradedSections?: unknown[];
      recentOrders?: WireOrder[];
    }>("GetDashboard (BFF)", `${web}/GetDashboard`, {});
    tally.dashboards += 1;
    if ((dashboard.body?.degradedSections?.length ?? 0) > 0) tally.dashboardsDegraded += 1;
    else if (
      dashboard.ok &&
      !(dashboard.body?.recentOrders ?? []).some((row) => row.orderId === orderId)
    ) {
      tally.dashboardsMissingOwnOrder += 1;
    }

    if (random() < 0.25) {
      await think();
      await call("CancelOrder v1", `${orderV1}/CancelOrder`, {
        orderId,
        reason: "changed my mind",
      });
    }
  }

  if (lastOrderId !== undefined && !context.shouldStop()) {
    await think();
    await call("GetOrderPage (BFF)", `${web}/GetOrderPage`, { orderId: lastOrderId });
    await call("ListOrders v2", `${orderV2}/ListOrders`, { customerId });
    // Support looks at this customer: another user's data, readable with the admin scope only.
    await call(
      "GetDashboard as admin (BFF)",
      `${web}/GetDashboard`,
      { customerId },
      { headers: { authorization: `Bearer ${context.adminToken}` } },
    );
  }

  if (index % 4 === 0 && !context.shouldStop()) {
    await think();
    await sendBadRequest(call, customerId, context.adminToken, Math.floor(index / 4) % 6);
  }
}

type Call = <T>(
  operation: string,
  procedure: string,
  body: unknown,
  options?: ConnectCallOptions & { expectCode?: string },
) => Promise<ConnectOutcome<T>>;

/** One of six mistakes real clients make; each must get its specific error and change nothing. */
async function sendBadRequest(
  call: Call,
  customerId: string,
  adminToken: string,
  kind: number,
): Promise<void> {
  const order = {
    customerId,
    currencyCode: "EUR",
    lines: [{ sku: "tea-sencha", quantity: 1, unitPriceCents: "1250" }],
  };
  switch (kind) {
    case 0:
      await call("bad: PlaceOrder without Idempotency-Key", `${orderV1}/PlaceOrder`, order, {
        expectCode: "invalid_argument",
      });
      return;
    case 1:
      await call("bad: malformed JSON", `${userV1}/RegisterUser`, undefined, {
        rawBody: '{"email": "oops@example.com", "fullName": ',
        expectCode: "invalid_argument",
      });
      return;
    case 2:
      await call(
        "bad: ListOrders page_size 100000",
        `${orderV1}/ListOrders`,
        { customerId, pageSize: 100_000 },
        { expectCode: "invalid_argument" },
      );
      return;
    case 3:
      // As an admin: a user asking for anyone else's dashboard is refused before existence.
      await call(
        "bad: dashboard of unknown customer",
        `${web}/GetDashboard`,
        { customerId: randomUUID() },
        { headers: { authorization: `Bearer ${adminToken}` }, expectCode: "not_found" },
      );
      return;
    case 4:
      await call(
        "bad: another customer's dashboard",
        `${web}/GetDashboard`,
        { customerId: randomUUID() },
        { expectCode: "permission_denied" },
      );
      return;
    default:
      await call(
        "bad: PlaceOrder v2 with 0.001 EUR",
        `${orderV2}/PlaceOrder`,
        {
          customerId,
          lines: [
            {
              sku: "tea-sencha",
              quantity: 1,
              unitPrice: { currencyCode: "EUR", units: "0", nanos: 1_000_000 },
            },
          ],
        },
        { headers: { "idempotency-key": randomUUID() }, expectCode: "invalid_argument" },
      );
  }
}

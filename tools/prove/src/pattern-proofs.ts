/** What proves one pattern: test files of one workspace, run with vitest. */
export interface TestProof {
  /** The workspace folder, relative to the repository root. */
  workspace: string;
  /** Test files relative to the workspace. */
  files: string[];
}

/** A pattern of ARCHITECTURE §0 and its proof (none while the pattern is not built). */
export interface PatternProof {
  /** Two digits, as the pattern pages are numbered. */
  number: string;
  name: string;
  /** The pattern page under docs/patterns/, when there is one. */
  page: string | undefined;
  /** What runs; undefined: not built yet (`status` says so). */
  proofs: TestProof[] | undefined;
  /**
   * Parts of the titles of the tests that show the pattern best: printed (when they passed in
   * the run) instead of the first few titles.
   */
  highlights?: string[];
  status: string;
}

const tests = (workspace: string, ...files: string[]): TestProof => ({ workspace, files });

/**
 * The registry `npm run prove` reads. Each proof is the focused test(s) the pattern page names
 * under "The tests that prove it" — fast enough to run on a laptop — not the whole suite.
 */
export const patternProofs: readonly PatternProof[] = [
  {
    number: "01",
    name: "One service per bounded context",
    page: "01-service-per-bounded-context.md",
    proofs: [
      tests("services/user-service", "test/user-lifecycle.test.ts"),
      tests("services/order-service", "test/order-lifecycle.test.ts"),
    ],
    highlights: ["register → get → update", "place → get → confirm → ship"],
    status: "implemented",
  },
  {
    number: "02",
    name: "API style & versioning (gRPC inside, Connect v1 + v2 at the edge)",
    page: "02-api-versioning.md",
    proofs: [tests("gateway", "test/edge-v1.test.ts", "test/edge-v2.test.ts")],
    highlights: [
      "gets the user by POST and by Connect GET, with the same body",
      "places an order priced in Money",
      "carries no Deprecation",
    ],
    status: "implemented",
  },
  {
    number: "03",
    name: "Service discovery & naming",
    page: "03-service-discovery-and-naming.md",
    proofs: [
      tests("packages/topology", "src/topology.test.ts"),
      tests("packages/grpc-kit", "test/grpc-client.test.ts"),
    ],
    highlights: ["kubernetes profile uses dns:///", "round-robin"],
    status: "implemented",
  },
  {
    number: "04",
    name: "API gateway (edge)",
    page: "04-api-gateway.md",
    proofs: [tests("gateway", "test/bad-input.test.ts", "test/call-propagation.test.ts")],
    highlights: ["malformed JSON → 400", "Idempotency-Key (or a blank one)", "a caller timeout"],
    status: "implemented",
  },
  {
    number: "05",
    name: "Backend-for-Frontend",
    page: "05-backend-for-frontend.md",
    proofs: [tests("bff/web-bff", "test/degraded-dashboard.test.ts")],
    highlights: ["with order-service stopped", "asks the backends in parallel"],
    status: "implemented",
  },
  {
    number: "06",
    name: "Async messaging (NATS JetStream)",
    page: "06-async-messaging.md",
    proofs: [
      tests("packages/events", "test/event-envelope.test.ts"),
      tests("packages/outbox", "test/broker-outage.test.ts"),
    ],
    highlights: ["round-trips through headers", "keeps accepting writes while NATS is down"],
    status: "implemented",
  },
  {
    number: "07",
    name: "Idempotent endpoints & dedup",
    page: "07-idempotent-endpoints.md",
    proofs: [
      tests("packages/idempotency", "test/run-idempotent.test.ts"),
      tests("services/order-service", "test/place-order-idempotency.test.ts"),
    ],
    highlights: ["runs 100 concurrent duplicates exactly once", "100 concurrent PlaceOrder calls"],
    status: "implemented",
  },
  {
    number: "08",
    name: "Data ownership (database + role per service)",
    page: "08-data-ownership.md",
    proofs: [tests("tools/devstack", "test/service-database-isolation.test.ts")],
    highlights: ["cannot connect to the users database", "cannot connect to the orders database"],
    status: "implemented",
  },
  {
    number: "09",
    name: "Transactional outbox + relay",
    page: "09-transactional-outbox.md",
    proofs: [
      tests("packages/outbox", "test/relay-crash.test.ts"),
      tests("services/order-service", "test/order-events.test.ts"),
    ],
    highlights: ["relay killed with SIGKILL", "500 orders placed"],
    status: "implemented",
  },
  {
    number: "10",
    name: "Change data capture (outbox relay from logical replication)",
    page: "10-change-data-capture.md",
    proofs: [tests("packages/outbox", "test/cdc-relay-crash.test.ts")],
    highlights: ["CDC relay killed with SIGKILL"],
    status: "implemented",
  },
  {
    number: "11",
    name: "Event schema governance",
    page: "11-event-schema-governance.md",
    proofs: [
      tests("tools/checks", "test/event-catalog.test.ts"),
      tests("services/order-service", "test/event-fixtures.test.ts"),
    ],
    highlights: [
      "docs/events.md lists exactly",
      "code publishes only cataloged types",
      "rejects retyping a field",
      "translates every user event fixture",
    ],
    status: "implemented",
  },
  {
    number: "12",
    name: "Consumer-driven contract testing",
    page: "12-consumer-driven-contracts.md",
    proofs: [
      tests("tools/contracts", "test/consumers"),
      tests("tools/contracts", "test/providers"),
    ],
    status: "implemented",
  },
  {
    number: "13",
    name: "Anti-corruption layer (sync adapter + event-fed projection)",
    page: "13-anti-corruption-layer.md",
    proofs: [
      tests(
        "services/order-service",
        "test/customer-directory.test.ts",
        "test/customer-projection.test.ts",
      ),
    ],
    highlights: [
      "lets a customer registered through a user event order while user-service is down",
      "translates a suspended user",
      "fails UNAVAILABLE within about the lookup deadline",
    ],
    status: "implemented",
  },
  {
    number: "14",
    name: "Read models & CQRS-lite",
    page: "14-read-models-cqrs.md",
    proofs: [
      tests(
        "services/order-service",
        "test/order-summary-projection.test.ts",
        "test/read-model-acceptance.test.ts",
      ),
    ],
    highlights: ["500 orders placed", "rebuild yields the same tables"],
    status: "implemented",
  },
  {
    number: "15",
    name: "Caching tiers (service & shared)",
    page: "15-caching-tiers.md",
    proofs: [
      tests("services/user-service", "test/user-cache.test.ts"),
      tests("services/order-service", "test/customer-cache.test.ts"),
      tests("packages/cache", "test/tiered-cache.test.ts", "test/event-invalidation.test.ts"),
      tests(
        "gateway",
        "test/edge-cache.test.ts",
        "test/dashboard-edge-cache.test.ts",
        "src/edge-cache/dashboard-edge-cache.test.ts",
      ),
    ],
    highlights: [
      "exactly 1 database read",
      "without reaching web-bff",
      "EVERY replica serves the new value",
      "cached negatively",
      "stale-while-revalidate",
      "never 'active' again",
      "answered without reaching user-service",
    ],
    status: "implemented",
  },
  {
    number: "16",
    name: "Rate limits, quotas and shaping",
    page: "16-rate-limits-quotas-shaping.md",
    proofs: [
      tests("packages/rate-limit", "test/gcra.test.ts", "test/shared-daily-quota.test.ts"),
      tests("gateway", "test/rate-limits.test.ts"),
      tests("packages/service-host", "test/load-shedding-overload.test.ts"),
    ],
    highlights: [
      "allows exactly the burst, then one request per emission interval",
      "a client offered 2× its limit",
      "the total accepted across both replicas is the quota",
      "every refusal is RESOURCE_EXHAUSTED with a pushback",
    ],
    status: "implemented",
  },
  {
    number: "17",
    name: "mTLS + authN/Z between services",
    page: "17-mtls-and-service-authorization.md",
    proofs: [
      tests("packages/access-policy", "test/zero-trust-acceptance.test.ts"),
      tests("packages/workload-identity", "test/mtls-handshake.test.ts"),
    ],
    highlights: [
      "a client with no certificate is rejected",
      "is not allowed for the method gets PERMISSION_DENIED",
      "never logs key material",
    ],
    status: "implemented",
  },
  {
    number: "18",
    name: "Secrets & config per service",
    page: "18-secrets-and-config.md",
    proofs: [tests("packages/config", "test/load-config.test.ts")],
    highlights: ["names every offending key at once"],
    status: "implemented",
  },
  {
    number: "19",
    name: "Health, readiness, graceful shutdown",
    page: "19-health-and-graceful-shutdown.md",
    proofs: [
      tests(
        "packages/grpc-kit",
        "test/graceful-shutdown.test.ts",
        "test/health.test.ts",
        "test/client-retries.test.ts",
      ),
      tests("packages/service-host", "test/drain-delay.test.ts"),
      tests("packages/connect-host", "test/drain-delay.test.ts", "test/refused-stream.test.ts"),
    ],
    highlights: [
      "on SIGTERM readiness flips",
      "flips to NOT_SERVING the moment shutdown",
      "new calls still answered during the delay",
      "retries a read that answered UNAVAILABLE",
      "never fails a call that crosses a graceful GOAWAY",
    ],
    status: "implemented",
  },
  {
    number: "20",
    name: "Observability: tracing, metrics, correlation",
    page: "20-observability.md",
    proofs: [
      tests(
        "tools/observability-checks",
        "test/one-trace-in-memory.test.ts",
        "test/one-trace-real-processes.test.ts",
      ),
      tests("packages/tracing", "test/otlp-span-encoding.test.ts"),
      tests("packages/logging", "src/request-scope.test.ts"),
    ],
    highlights: [
      "relay send → consumer process, with every edge",
      "gateway → web-bff → user-service and order-service",
      "keeps its trace id through every hop",
      "is honoured when NOT sampled",
      "carries its trace_id and span_id",
      "arrives as ONE trace",
      "writes exactly the bytes of the SDK's ProtobufTraceSerializer",
      "tracing adds none to the process",
    ],
    status: "implemented",
  },
  {
    number: "21",
    name: "CI/CD per service",
    page: "21-ci-cd-per-service.md",
    proofs: [tests("tools/mesh-checks", "test/workflows.test.ts")],
    highlights: [
      "one reusable pipeline and one caller per deployable",
      "passes actionlint",
      "the callers are up to date",
    ],
    status: "implemented",
  },
  {
    number: "22",
    name: "Deployment topology",
    page: "22-deployment-topology.md",
    proofs: [tests("tools/mesh-checks", "test/checks-catch-broken-manifests.test.ts")],
    highlights: ["network-edges-match-access-policy", "non-root: a container"],
    status: "implemented",
  },
];

/** The pattern for "7", "07" or "12"; undefined for anything else. */
export function findPattern(argument: string): PatternProof | undefined {
  if (!/^\d{1,2}$/.test(argument)) return undefined;
  const number = argument.padStart(2, "0");
  return patternProofs.find((pattern) => pattern.number === number);
}

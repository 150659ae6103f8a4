import { relative } from "node:path";
import type { Component } from "./components.js";

/** The "it is up" message: every endpoint, and first commands to paste. */
export function readyBanner(options: {
  /** Every process, in start order (a replica's label says which, e.g. "gateway-2"). */
  components: Array<Component & { label?: string }>;
  postgres: { adminUrl: string; source: string };
  nats: { url: string; source: string };
  stateDir: string;
  certsDir: string;
  repositoryRoot: string;
  /** Where the web app is served, when it was built. */
  webAppPort?: number | undefined;
  /** Where traces go (`startDevstackTracing`). */
  traces?: string | undefined;
}): string {
  const { components } = options;
  const find = (name: string) => components.find((c) => c.name === name);
  const user = find("user-service");
  const gateway = find("gateway");
  const certs = relative(options.repositoryRoot, options.certsDir) || ".";
  const lines = [
    "",
    "Switchyard is running.",
    "",
    ...(options.webAppPort
      ? [
          `  web app: http://127.0.0.1:${options.webAppPort}/  (sign up, then sign in with a dev token)`,
          "",
        ]
      : []),
    "  endpoints",
    ...components.map(
      (c) =>
        `    ${(c.label ?? c.name).padEnd(15)} 127.0.0.1:${String(c.port).padEnd(6)} ${c.protocol}`,
    ),
    `    ${"postgres".padEnd(15)} ${redactPassword(options.postgres.adminUrl)}   (${options.postgres.source})`,
    `    ${"nats".padEnd(15)} ${options.nats.url}   (${options.nats.source})`,
    "",
    "  metrics (Prometheus text; OTLP too when OTEL_EXPORTER_OTLP_ENDPOINT is set)",
    ...components.map(
      (c) => `    ${(c.label ?? c.name).padEnd(15)} http://127.0.0.1:${c.adminPort}/metrics`,
    ),
    "",
    `  logs and local state: ${options.stateDir}`,
    ...(options.traces ? [`  ${options.traces}`] : []),
    `  mTLS identities (dev CA): ${options.certsDir}`,
    "",
    "  try",
  ];
  if (gateway) {
    const base = `http://127.0.0.1:${gateway.port}`;
    const json = "-H 'content-type: application/json'";
    lines.push(
      "    # register a user through the gateway (public API v2, Connect JSON)",
      `    curl -sS ${base}/switchyard.edge.v2.UserService/RegisterUser ${json} \\`,
      `      -d '{"email":"ada@example.com","givenName":"Ada","familyName":"Lovelace"}'`,
      "    # everything but RegisterUser needs a token: mint one for the userId you registered",
      "    # (add --scope switchyard:admin to read any user's data)",
      "    TOKEN=$(npm run -s token -- --sub <userId>)",
      "    # place an order as that user (the Idempotency-Key makes retries safe)",
      `    curl -sS ${base}/switchyard.edge.v2.OrderService/PlaceOrder ${json} -H "Authorization: Bearer $TOKEN" \\`,
      `      -H 'Idempotency-Key: first-order' \\`,
      `      -d '{"customerId":"<userId>","lines":[{"sku":"TEA-1","quantity":2,"unitPrice":{"currencyCode":"EUR","units":"12","nanos":500000000}}]}'`,
      "    # the web dashboard of the signed-in user, one call through the BFF",
      `    curl -sS ${base}/switchyard.bff.web.v1.WebService/GetDashboard ${json} -H "Authorization: Bearer $TOKEN" -d '{}'`,
      "    # realistic traffic with a summary (in another terminal)",
      "    npm run demo",
    );
  }
  if (user) {
    const tls = `--cacert ${certs}/ca.crt --cert ${certs}/devstack.crt --key ${certs}/devstack.key`;
    lines.push(
      "    # a service directly: mTLS with the devstack identity (health and reflection only)",
      `    npx buf curl --protocol grpc ${tls} \\`,
      `      https://localhost:${user.port}/grpc.health.v1.Health/Check`,
      `    npx buf curl --protocol grpc ${tls} --list-methods https://localhost:${user.port}`,
    );
  }
  lines.push("", "  Ctrl-C stops everything gracefully.", "");
  return lines.join("\n");
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable url)";
  }
}

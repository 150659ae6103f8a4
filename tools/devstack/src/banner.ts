import type { Component } from "./components.js";

/** The "it is up" message: every endpoint, and first commands to paste. */
export function readyBanner(options: {
  components: Component[];
  postgres: { adminUrl: string; source: string };
  nats: { url: string; source: string };
  stateDir: string;
}): string {
  const { components } = options;
  const user = components.find((c) => c.name === "user-service");
  const order = components.find((c) => c.name === "order-service");
  const lines = [
    "",
    "Switchyard is running.",
    "",
    "  endpoints",
    ...components.map(
      (c) => `    ${c.name.padEnd(15)} grpc  127.0.0.1:${c.port}   (${c.healthService})`,
    ),
    `    ${"postgres".padEnd(15)} ${redactPassword(options.postgres.adminUrl)}   (${options.postgres.source})`,
    `    ${"nats".padEnd(15)} ${options.nats.url}   (${options.nats.source})`,
    "",
    `  logs and local state: ${options.stateDir}`,
    "",
    "  try",
  ];
  if (user) {
    const base = `http://127.0.0.1:${user.port}`;
    lines.push(
      "    # health, through server reflection (no proto files)",
      `    npx buf curl --protocol grpc --http2-prior-knowledge ${base}/grpc.health.v1.Health/Check`,
      "    # list what the service offers",
      `    npx buf curl --protocol grpc --http2-prior-knowledge --list-methods ${base}`,
      "    # register a user (retry-safe: same idempotency-key → same answer)",
      `    npx buf curl --protocol grpc --http2-prior-knowledge -H 'idempotency-key: first-user' \\`,
      `      -d '{"email":"ada@example.com","givenName":"Ada","familyName":"Lovelace"}' \\`,
      `      ${base}/switchyard.user.v1.UserService/RegisterUser`,
    );
  }
  if (order) {
    lines.push(
      "    # place an order for that user (use the userId printed above)",
      `    npx buf curl --protocol grpc --http2-prior-knowledge -H 'idempotency-key: first-order' \\`,
      `      -d '{"customerId":"<userId>","currencyCode":"EUR","lines":[{"sku":"BOOK-1","quantity":2,"unitPriceMinor":"1999"}]}' \\`,
      `      http://127.0.0.1:${order.port}/switchyard.order.v1.OrderService/PlaceOrder`,
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

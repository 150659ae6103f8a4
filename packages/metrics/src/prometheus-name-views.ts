import type { ViewOptions } from "@opentelemetry/sdk-metrics";

/**
 * Renames of semantic-convention instruments whose Prometheus names promtool rejects. The
 * exporter only swaps dots for underscores, so the UpDownCounter `db.client.connection.count`
 * becomes a gauge named `db_client_connection_count`, and promtool (exit 3): "non-histogram and
 * non-summary metrics should not have "_count" suffix" — a scraper would also confuse it with a
 * histogram's `_count` series. It is exported as `db.client.connections.usage`, the conventions'
 * earlier name of the same instrument (same attributes). The metrics-checks scrape test lints
 * every process, so a new offender fails there first.
 */
export const prometheusNameViews: ViewOptions[] = [
  { instrumentName: "db.client.connection.count", name: "db.client.connections.usage" },
];

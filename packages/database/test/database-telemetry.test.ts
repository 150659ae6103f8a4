import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { createTestDatabase, type TestDatabase } from "@switchyard/testing";
import {
  dataPointsWith,
  type InMemoryTelemetry,
  installInMemoryTelemetry,
  spanNamed,
} from "@switchyard/testing/telemetry";
import { sql as drizzleSql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectDatabase, type Database } from "../src/index.js";

let telemetry: InMemoryTelemetry;
let testDatabase: TestDatabase;
let database: Database;
const tracer = () => trace.getTracer("database-telemetry-test");

beforeAll(async () => {
  telemetry = installInMemoryTelemetry();
  testDatabase = await createTestDatabase({ prefix: "dbtelemetry" });
  database = connectDatabase({ url: testDatabase.url, max: 2 });
  await database.sql`create table widgets (id int primary key, name text not null)`;
});
afterAll(async () => {
  await database?.close();
  await testDatabase?.drop();
  await telemetry?.uninstall();
});
beforeEach(() => telemetry.resetSpans());

/** Runs `fn` inside a recording span named "request" and returns that span's id. */
async function inRequestSpan(fn: () => Promise<unknown>): Promise<string> {
  return tracer().startActiveSpan("request", async (span) => {
    try {
      await fn();
    } finally {
      span.end();
    }
    return span.spanContext().spanId;
  });
}

describe("database spans", () => {
  it("a query inside a span becomes its CLIENT child, with the text but never the parameters", async () => {
    const requestSpanId = await inRequestSpan(
      () => database.sql`select id from widgets where name = ${"secret-name"}`,
    );
    const query = spanNamed(telemetry.spans(), "SELECT widgets");
    expect(query.kind).toBe(SpanKind.CLIENT);
    expect(query.parentSpanContext?.spanId).toBe(requestSpanId);
    expect(query.attributes).toMatchObject({
      "db.system.name": "postgresql",
      "db.namespace": testDatabase.name,
      "db.operation.name": "SELECT",
      "db.collection.name": "widgets",
      "db.query.summary": "SELECT widgets",
      "db.query.text": "select id from widgets where name = $1",
      "db.response.returned_rows": 0,
    });
    expect(JSON.stringify(query.attributes)).not.toContain("secret-name");
  });

  it("a drizzle transaction is one span with its statements as children", async () => {
    const requestSpanId = await inRequestSpan(() =>
      database.db.transaction(async (tx) => {
        await tx.execute(drizzleSql`insert into widgets (id, name) values (${1}, ${"a"})`);
        await tx.execute(drizzleSql`update widgets set name = ${"b"} where id = ${1}`);
      }),
    );
    const spans = telemetry.spans();
    const transaction = spanNamed(spans, "transaction");
    expect(transaction.parentSpanContext?.spanId).toBe(requestSpanId);
    for (const name of ["INSERT widgets", "UPDATE widgets"]) {
      const statement = spanNamed(spans, name);
      expect(statement.parentSpanContext?.spanId).toBe(transaction.spanContext().spanId);
      expect(statement.spanContext().traceId).toBe(transaction.spanContext().traceId);
    }
  });

  it("a failing statement is an ERROR span with the SQLSTATE; its transaction too", async () => {
    await inRequestSpan(() =>
      database.sql
        .begin((tx) => tx`insert into widgets (id, name) values (${2}, ${null})`)
        .catch(() => undefined),
    );
    const insert = spanNamed(telemetry.spans(), "INSERT widgets");
    expect(insert.status.code).toBe(SpanStatusCode.ERROR);
    expect(insert.attributes["db.response.status_code"]).toBe("23502");
    expect(insert.attributes["error.type"]).toBe("23502");
    expect(spanNamed(telemetry.spans(), "transaction").status.code).toBe(SpanStatusCode.ERROR);
  });

  it("no active span → no span (a relay's polling is not a trace of its own)", async () => {
    await database.sql`select count(*) from widgets`;
    await database.db.execute(drizzleSql`select 1`);
    expect(telemetry.spans()).toEqual([]);
  });
});

describe("database metrics", () => {
  it("records db.client.operation.duration per statement, in seconds, by operation", async () => {
    await database.sql`select name from widgets`;
    const duration = await telemetry.collectMetric("db.client.operation.duration");
    expect(duration?.descriptor.unit).toBe("s");
    const [point] = dataPointsWith(duration, {
      "db.operation.name": "SELECT",
      "db.collection.name": "widgets",
      "db.namespace": testDatabase.name,
    });
    const value = point?.value as { count: number; sum: number } | undefined;
    expect(value?.count).toBeGreaterThanOrEqual(1);
    expect(value?.sum).toBeGreaterThan(0);
  });

  it("reports the connections in use while a transaction holds one, and the pool size", async () => {
    const usedConnections = (metric: Awaited<ReturnType<InMemoryTelemetry["collectMetric"]>>) =>
      dataPointsWith(metric, { "db.client.connection.state": "used" })
        .map((point) => point.value)
        .reduce((sum, value) => (sum as number) + (value as number), 0);
    let inside = 0;
    await database.sql.begin(async (tx) => {
      await tx`select 1`;
      inside = usedConnections(
        await telemetry.collectMetric("db.client.connection.count"),
      ) as number;
    });
    const after = usedConnections(await telemetry.collectMetric("db.client.connection.count"));
    expect(inside).toBe(1);
    expect(after).toBe(0);
    const max = await telemetry.collectMetric("db.client.connection.max");
    expect(max?.dataPoints[0]?.value).toBe(2);
  });
});

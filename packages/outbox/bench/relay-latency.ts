/**
 * `npm run bench:outbox`: commit → PubAck lag of the outbox relay, per mode and write rate,
 * printed as a Markdown table (copied into docs/benchmarks.md).
 *
 * Modes: polling relay woken by NOTIFY (the default), polling relay without LISTEN (adaptive
 * polling only), and the CDC relay (logical replication). Each cell gets a fresh database and
 * namespace; writes are open-loop at the given rate, one transaction per event (like one
 * PlaceOrder each). Lag = PubAck arrival − the moment COMMIT was sent, both on this process's
 * monotonic clock. Runs against its own embedded Postgres (wal_level=logical, so CDC works) and
 * NATS_URL, else 127.0.0.1:4222, else a nats-server it starts.
 *
 * Options (env): BENCH_SECONDS (default 8 per cell), BENCH_RATES (default "5,100,500"),
 * BENCH_MODES (default "notify,poll,cdc").
 */
import { randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { jetstreamManager } from "@nats-io/jetstream";
import {
  connectNats,
  ensureStream,
  orderEventsStream,
  orderPlaced,
  protoTimestamp,
} from "@switchyard/events";
import { findFreePort, resolveNats, startEmbeddedPostgres } from "@switchyard/local-infra";
import { createLogger } from "@switchyard/logging";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import {
  appendToOutbox,
  createCdcOutboxRelay,
  createOutboxRelay,
  outboxMessagesDdl,
  type PublishableOutboxRow,
} from "../src/index.js";

type Mode = "notify" | "poll" | "cdc";
const modeLabels: Record<Mode, string> = {
  notify: "poll + NOTIFY (default)",
  poll: "poll only (adaptive 10 ms – 1 s)",
  cdc: "CDC (logical replication)",
};

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const rates = (process.env.BENCH_RATES ?? "5,100,500").split(",").map(Number);
const modes = (process.env.BENCH_MODES ?? "notify,poll,cdc").split(",") as Mode[];
const logger = createLogger({ service: "bench-outbox", level: "warn" });

const directory = await mkdtemp(join(tmpdir(), "switchyard-bench-outbox-"));
await chmod(directory, 0o755); // as root, Postgres runs as `postgres` and must enter it
const pg = await startEmbeddedPostgres({
  dataDir: join(directory, "pg"),
  port: await findFreePort(),
  persistent: false,
});
const natsHandle = await resolveNats({
  url: process.env.NATS_URL || undefined,
  storeDir: join(directory, "nats"),
  port: await findFreePort(),
  persistent: false,
});
const nats = await connectNats({ url: natsHandle.url, name: "bench-outbox" });
const jsm = await jetstreamManager(nats);
const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });

interface Cell {
  mode: Mode;
  rate: number;
  events: number;
  lagsMs: number[];
}

async function runCell(mode: Mode, rate: number, cellSeconds = seconds): Promise<Cell> {
  const name = `bench_${mode}_${rate}_${randomUUID().slice(0, 8)}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(pg.adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 10, onnotice: () => {} });
  for (const statement of outboxMessagesDdl.split("--> statement-breakpoint")) {
    await sql.unsafe(statement);
  }
  const db = drizzle(sql);
  const namespace = { prefix: name };
  await ensureStream(jsm, orderEventsStream, namespace);

  const commitSentAt = new Map<string, number>();
  const lagsMs: number[] = [];
  const onPublished = (row: PublishableOutboxRow) => {
    const sent = commitSentAt.get(row.eventId);
    if (sent !== undefined) lagsMs.push(performance.now() - sent);
  };
  const common = { sql, nats, namespace, source: "switchyard/bench", logger, onPublished };
  let stop: () => Promise<void>;
  if (mode === "cdc") {
    const relay = createCdcOutboxRelay({
      ...common,
      databaseUrl: url.toString(),
      service: "bench",
      replication: { publication: `${name}_pub`, slot: `${name}_slot` },
    });
    await relay.start();
    stop = () => relay.stop();
  } else {
    const relay = createOutboxRelay({ ...common, listen: mode === "notify" });
    relay.start();
    stop = () => relay.stop();
  }
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // let the relay go idle

  // Open loop: start one transaction every 1/rate s, whether or not earlier ones finished.
  const total = Math.round(rate * cellSeconds);
  const started = performance.now();
  const writes: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const eventId = randomUUID();
    writes.push(
      db.transaction(async (tx) => {
        await appendToOutbox(
          tx,
          orderPlaced,
          {
            eventId,
            occurTime: protoTimestamp(new Date()),
            orderId: randomUUID(),
            orderVersion: 1n,
            customerId: randomUUID(),
            currencyCode: "EUR",
            totalMinor: 1_000n,
            lines: [{ sku: "SKU-1", quantity: 1, unitPriceMinor: 1_000n }],
          },
          { aggregateId: eventId },
        );
        commitSentAt.set(eventId, performance.now()); // drizzle sends COMMIT next
      }),
    );
  }
  await Promise.all(writes);
  const deadline = performance.now() + 30_000;
  while (lagsMs.length < total && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  await sql.end({ timeout: 5 });
  await admin.unsafe(`drop database "${name}" with (force)`);
  await jsm.streams.delete(`${name.toUpperCase()}_${orderEventsStream.name}`).catch(() => {});
  return { mode, rate, events: lagsMs.length, lagsMs };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const cells: Cell[] = [];
try {
  // Unrecorded: JIT, connection set-up and the first stream creation would skew the first cell.
  process.stderr.write("warm-up … ");
  for (const mode of modes) await runCell(mode, 50, 2);
  process.stderr.write("done\n");
  for (const rate of rates) {
    for (const mode of modes) {
      process.stderr.write(`${modeLabels[mode]} at ${rate}/s for ${seconds} s … `);
      const cell = await runCell(mode, rate);
      cells.push(cell);
      process.stderr.write(`${cell.events} events\n`);
    }
  }
} finally {
  await admin.end({ timeout: 5 });
  await nats.close();
  await natsHandle.stop();
  await pg.stop();
  await rm(directory, { recursive: true, force: true });
}

const ms = (value: number) => (Number.isNaN(value) ? "n/a" : value.toFixed(1));
console.log(`\ncommit → PubAck lag, ${seconds} s per cell, one event per transaction\n`);
console.log("| relay mode | rate (events/s) | events | p50 ms | p99 ms | max ms |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const cell of cells) {
  const sorted = [...cell.lagsMs].sort((a, b) => a - b);
  console.log(
    `| ${modeLabels[cell.mode]} | ${cell.rate} | ${cell.events} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 99))} | ${ms(sorted.at(-1) ?? Number.NaN)} |`,
  );
}

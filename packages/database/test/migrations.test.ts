import { fileURLToPath } from "node:url";
import { postgresAdminUrl, uniqueName } from "@switchyard/testing";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  connectDatabase,
  dropServiceDatabase,
  provisionServiceDatabase,
} from "../src/index.js";

const migrationsFolder = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));
const created: { database: string; role: string }[] = [];

/** Each test gets its own service database, as the service's own role. */
async function freshServiceDatabase(): Promise<string> {
  const names = { database: uniqueName("migrations_db"), role: uniqueName("migrations_role") };
  created.push(names);
  const { url } = await provisionServiceDatabase(await postgresAdminUrl(), {
    ...names,
    password: "p",
  });
  return url;
}

afterAll(async () => {
  for (const names of created) await dropServiceDatabase(await postgresAdminUrl(), names);
});

describe("applyMigrations", () => {
  it("applies each migration once, as the service role, and a second run changes nothing", async () => {
    const database = connectDatabase({ url: await freshServiceDatabase() });
    try {
      await applyMigrations(database, { migrationsFolder, service: "widget-service" });
      await applyMigrations(database, { migrationsFolder, service: "widget-service" });
      const widgets = await database.sql`select name from widgets`;
      expect(widgets.map((w) => w.name)).toEqual(["first"]);
      const applied = await database.sql`select hash from drizzle."widget-service_migrations"`;
      expect(applied).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it("lets replicas that start together apply each migration exactly once", async () => {
    const url = await freshServiceDatabase();
    const replicas = [1, 2, 3].map(() => connectDatabase({ url }));
    const [observer] = replicas;
    if (observer === undefined) throw new Error("no replicas");
    try {
      await Promise.all(
        replicas.map((db) => applyMigrations(db, { migrationsFolder, service: "racing-service" })),
      );
      const applied = await observer.sql`select hash from drizzle."racing-service_migrations"`;
      expect(applied).toHaveLength(1);
    } finally {
      await Promise.all(replicas.map((db) => db.close()));
    }
  });

  it("rejects a service name that cannot name a table and a pool too small to hold the lock", async () => {
    const database = connectDatabase({ url: await freshServiceDatabase(), max: 1 });
    try {
      await expect(
        applyMigrations(database, { migrationsFolder, service: 'x"; drop' }),
      ).rejects.toThrow(/invalid service name/);
      await expect(
        applyMigrations(database, { migrationsFolder, service: "widget-service" }),
      ).rejects.toThrow(/at least 2 connections/);
    } finally {
      await database.close();
    }
  });
});

describe("connectDatabase", () => {
  it("ping fails with the driver's error when Postgres does not answer", async () => {
    const database = connectDatabase({ url: "postgres://nobody@127.0.0.1:1/none", max: 1 });
    try {
      await expect(database.ping()).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await database.close();
    }
  });
});

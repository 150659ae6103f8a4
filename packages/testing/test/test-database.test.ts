import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../src/index.js";

describe("createTestDatabase", () => {
  const created: TestDatabase[] = [];
  afterEach(async () => {
    for (const database of created.splice(0)) await database.drop();
  });

  async function create(prefix?: string) {
    const database = await createTestDatabase(prefix === undefined ? {} : { prefix });
    created.push(database);
    return database;
  }

  it("gives each call its own usable database", async () => {
    const first = await create();
    const second = await create("orders");
    expect(first.name).not.toBe(second.name);
    expect(second.name).toMatch(/^orders_/);

    const a = postgres(first.url, { max: 1, onnotice: () => {} });
    const b = postgres(second.url, { max: 1, onnotice: () => {} });
    try {
      const [where] = await a`select current_database() as name`;
      expect(where?.name).toBe(first.name);
      await a`create table marker (id int primary key)`;
      await a`insert into marker values (1)`;
      const [found] = await b`select to_regclass('public.marker') as marker`;
      expect(found?.marker).toBeNull();
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it("drop removes the database even while a connection is open", async () => {
    const database = await create();
    const open = postgres(database.url, { max: 1, onnotice: () => {} });
    await open`select 1`;

    await database.drop();

    const admin = postgres(database.adminUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await admin`select 1 from pg_database where datname = ${database.name}`;
      expect(rows).toHaveLength(0);
    } finally {
      await admin.end();
      await open.end({ timeout: 0 }).catch(() => {});
    }
  });
});

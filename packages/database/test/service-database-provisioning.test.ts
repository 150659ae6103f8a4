import { postgresAdminUrl, uniqueName } from "@switchyard/testing";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, dropServiceDatabase, provisionServiceDatabase } from "../src/index.js";

let adminUrl: string;
const created: { database: string; role: string }[] = [];

async function provisionUnique(prefix: string, password = "secret") {
  const names = { database: uniqueName(`${prefix}_db`), role: uniqueName(`${prefix}_role`) };
  created.push(names);
  const { url } = await provisionServiceDatabase(adminUrl, { ...names, password });
  return { ...names, url };
}

async function adminQuery<T extends object>(query: string, params: string[]): Promise<T[]> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await sql.unsafe<T[]>(query, params);
  } finally {
    await sql.end();
  }
}

beforeAll(async () => {
  adminUrl = await postgresAdminUrl();
});

afterAll(async () => {
  for (const names of created) await dropServiceDatabase(adminUrl, names);
});

describe("provisionServiceDatabase", () => {
  it("gives the role a database it owns, connects to and creates tables in", async () => {
    const { url, database, role } = await provisionUnique("owner");
    const service = connectDatabase({ url });
    try {
      await service.sql`create table notes (id int primary key)`;
      await service.sql`insert into notes values (1)`;
      const [row] = await service.sql<{ user: string; db: string }[]>`
        select current_user as user, current_database() as db`;
      expect(row).toEqual({ user: role, db: database });
    } finally {
      await service.close();
    }
    const [owner] = await adminQuery<{ owner: string }>(
      "select pg_get_userbyid(datdba) as owner from pg_database where datname = $1",
      [database],
    );
    expect(owner?.owner).toBe(role);
  });

  it("can run twice for the same database and role, updating the password", async () => {
    const first = await provisionUnique("twice", "first-password");
    const [before] = await adminQuery<{ hash: string }>(
      "select rolpassword as hash from pg_authid where rolname = $1",
      [first.role],
    );
    const again = await provisionServiceDatabase(adminUrl, {
      database: first.database,
      role: first.role,
      password: "second-password",
    });
    const [after] = await adminQuery<{ hash: string }>(
      "select rolpassword as hash from pg_authid where rolname = $1",
      [first.role],
    );
    expect(after?.hash).not.toBe(before?.hash);
    expect(new URL(again.url).password).toBe("second-password");
    const service = connectDatabase({ url: again.url });
    await expect(service.ping()).resolves.toBeUndefined();
    await service.close();
  });

  it("keeps a second service's role out of the first service's database", async () => {
    const first = await provisionUnique("first");
    const second = await provisionUnique("second");
    const intruderUrl = new URL(second.url);
    intruderUrl.pathname = `/${first.database}`;
    const intruder = connectDatabase({ url: intruderUrl.toString(), max: 1 });
    try {
      await expect(intruder.ping()).rejects.toThrow(/permission denied for database/);
    } finally {
      await intruder.close();
    }
  });

  it("quotes passwords with quotes and URL characters safely", async () => {
    const password = `it's "p@ss:w/o%rd" \\ ?#`;
    const { url } = await provisionUnique("quoted", password);
    const service = connectDatabase({ url });
    try {
      expect(service.sql.options.pass).toBe(password);
      await expect(service.ping()).resolves.toBeUndefined();
    } finally {
      await service.close();
    }
  });

  it("rejects identifiers that are not plain lower-case names, before touching Postgres", async () => {
    const role = uniqueName("never");
    for (const database of [
      'x"; drop database postgres; --',
      "Upper",
      "1starts_with_digit",
      "a".repeat(64),
      "",
    ]) {
      await expect(
        provisionServiceDatabase(adminUrl, { database, role, password: "p" }),
      ).rejects.toThrow(/invalid database name/);
    }
    await expect(
      provisionServiceDatabase(adminUrl, { database: "fine", role: "bad-role", password: "p" }),
    ).rejects.toThrow(/invalid role name "bad-role"/);
    const roles = await adminQuery("select 1 from pg_roles where rolname = $1", [role]);
    expect(roles).toHaveLength(0);
  });
});

describe("dropServiceDatabase", () => {
  it("removes the database and the role, and is a no-op when they are gone", async () => {
    const names = { database: uniqueName("drop_db"), role: uniqueName("drop_role") };
    await provisionServiceDatabase(adminUrl, { ...names, password: "p" });
    await dropServiceDatabase(adminUrl, names);
    await dropServiceDatabase(adminUrl, names);
    expect(
      await adminQuery("select 1 from pg_database where datname = $1", [names.database]),
    ).toHaveLength(0);
    expect(
      await adminQuery("select 1 from pg_roles where rolname = $1", [names.role]),
    ).toHaveLength(0);
  });
});

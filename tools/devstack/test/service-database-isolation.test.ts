import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dropServiceDatabase } from "@switchyard/database";
import { postgresAdminUrl, uniqueName } from "@switchyard/testing";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devstackComponents } from "../src/components.js";
import { provisionDatabaseSecret } from "../src/service-database-secret.js";

// Provisions the services' databases exactly as `npm start` does (same code, same names but for
// a unique prefix) and proves each role is confined to its own database.
const secretsDir = mkdtempSync(join(tmpdir(), "devstack-secrets-"));
const components = devstackComponents(0, uniqueName("iso"));
const userDatabase = components.find((c) => c.name === "user-service")?.database;
const orderDatabase = components.find((c) => c.name === "order-service")?.database;
let adminUrl: string;
let userServiceUrl: string;
let orderServiceUrl: string;

async function canConnect(url: string): Promise<true | string> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

beforeAll(async () => {
  if (!userDatabase || !orderDatabase) throw new Error("devstack components lack databases");
  adminUrl = await postgresAdminUrl();
  const provision = async (database: { name: string; role: string }) =>
    readFileSync(
      await provisionDatabaseSecret({
        adminUrl,
        secretsDir,
        database: database.name,
        role: database.role,
      }),
      "utf8",
    );
  userServiceUrl = await provision(userDatabase);
  orderServiceUrl = await provision(orderDatabase);
});

afterAll(async () => {
  for (const database of [userDatabase, orderDatabase]) {
    if (database)
      await dropServiceDatabase(adminUrl, { database: database.name, role: database.role });
  }
  rmSync(secretsDir, { recursive: true, force: true });
});

describe("data ownership: one database and role per service", () => {
  it("each service's role connects to its own database", async () => {
    expect(await canConnect(userServiceUrl)).toBe(true);
    expect(await canConnect(orderServiceUrl)).toBe(true);
  });

  it("order-service's credentials cannot connect to the users database", async () => {
    const result = await canConnect(withDatabase(orderServiceUrl, userDatabase?.name ?? ""));
    expect(result).toMatch(/permission denied for database/);
  });

  it("user-service's credentials cannot connect to the orders database", async () => {
    const result = await canConnect(withDatabase(userServiceUrl, orderDatabase?.name ?? ""));
    expect(result).toMatch(/permission denied for database/);
  });

  it("keeps the generated secret files private to the owner (mode 600)", async () => {
    const { statSync, readdirSync } = await import("node:fs");
    const modes = readdirSync(secretsDir).map(
      (file) => statSync(join(secretsDir, file)).mode & 0o777,
    );
    expect(modes.length).toBe(4);
    expect(new Set(modes)).toEqual(new Set([0o600]));
  });
});

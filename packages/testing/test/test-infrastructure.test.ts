import { readdirSync, readFileSync } from "node:fs";
import { probeNats } from "@switchyard/local-infra";
import postgres from "postgres";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestInfrastructure } from "../src/index.js";

function processesWithArguments(...needles: string[]): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const commandLine = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
        return needles.every((needle) => commandLine.includes(needle));
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("test infrastructure", () => {
  it("global setup hands DATABASE_ADMIN_URL and NATS_URL to the workers", async () => {
    const adminUrl = process.env.DATABASE_ADMIN_URL;
    const natsUrl = process.env.NATS_URL;
    expect(adminUrl).toMatch(/^postgres:\/\//);
    expect(natsUrl).toMatch(/^nats:\/\//);
    const sql = postgres(adminUrl ?? "", { max: 1, onnotice: () => {} });
    try {
      await sql`select 1`;
    } finally {
      await sql.end();
    }
  });

  describe("when no local server is used", () => {
    let saved: Record<string, string | undefined>;
    beforeEach(() => {
      saved = {
        DATABASE_ADMIN_URL: process.env.DATABASE_ADMIN_URL,
        NATS_URL: process.env.NATS_URL,
      };
      delete process.env.DATABASE_ADMIN_URL;
      delete process.env.NATS_URL;
    });
    afterEach(() => {
      Object.assign(process.env, saved);
    });

    it("starts Postgres and NATS, publishes them in the environment and stops them", async () => {
      const lines: string[] = [];
      const infrastructure = await startTestInfrastructure({
        probeLocal: false,
        log: (line) => lines.push(line),
      });
      try {
        expect(infrastructure.postgres?.source).toBe("embedded");
        expect(infrastructure.nats?.source).toBe("started");
        expect(process.env.DATABASE_ADMIN_URL).toBe(infrastructure.postgres?.adminUrl);
        expect(process.env.NATS_URL).toBe(infrastructure.nats?.url);
        const sql = postgres(process.env.DATABASE_ADMIN_URL ?? "", { max: 1 });
        await sql`select 1`;
        await sql.end();
        expect(lines.join("\n")).toContain("postgres: started embedded Postgres");
        expect(lines.join("\n")).toContain("nats: started");
      } finally {
        await infrastructure.stop();
      }

      expect(process.env.DATABASE_ADMIN_URL).toBeUndefined();
      expect(process.env.NATS_URL).toBeUndefined();
      const natsPort = new URL(infrastructure.nats?.url ?? "").port;
      expect(await probeNats("127.0.0.1", Number(natsPort), 300)).toBeUndefined();
      expect(processesWithArguments("-p", natsPort)).toEqual([]);
      const postgresPort = new URL(infrastructure.postgres?.adminUrl ?? "").port;
      expect(processesWithArguments("-p", postgresPort)).toEqual([]);
    });
  });
});

import { existsSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as events from "@switchyard/events";
import { afterAll, describe, expect, it } from "vitest";
import { repositoryRoot, runBuf } from "./buf-command.js";

// Schema governance (docs/events.md): the catalog document, the `eventCatalog` registry, the
// code that publishes and consumes events, and the committed fixtures must all agree.

interface CatalogRow {
  ceType: string;
  subject: string;
  stream: string;
  producer: string;
  consumers: string;
  proto: string;
}

const serviceNames = ["user-service", "order-service", "gateway", "web-bff"];
const catalogByName = new Map(events.eventCatalog.map((type) => [type.typeName, type]));
/** Exported catalog constants by identifier (`orderPlaced` → its EventType). */
const catalogConstants = new Map(
  Object.entries(events).filter(([, value]) =>
    events.eventCatalog.includes(value as events.AnyEventType),
  ) as [string, events.AnyEventType][],
);

async function documentedRows(): Promise<CatalogRow[]> {
  const markdown = await readFile(join(repositoryRoot, "docs/events.md"), "utf8");
  const lines = markdown.split("\n");
  const header = lines.findIndex((line) => /^\|\s*ce-type\s*\|/.test(line));
  if (header === -1) throw new Error("docs/events.md has no table starting with a ce-type column");
  const rows: CatalogRow[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim().replace(/^`|`$/g, ""));
    const [ceType = "", subject = "", stream = "", producer = "", consumers = "", proto = ""] =
      cells;
    rows.push({ ceType, subject, stream, producer, consumers, proto });
  }
  return rows;
}

async function sourceFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .filter((entry) => !entry.name.endsWith(".test.ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** For each service, the catalog constants found at `pattern`'s capture group 1, with locations. */
async function scanServices(
  pattern: RegExp,
  identifiersOf: (match: RegExpExecArray) => string[],
): Promise<{ service: string; identifier: string; at: string }[]> {
  const found: { service: string; identifier: string; at: string }[] = [];
  for (const service of await readdir(join(repositoryRoot, "services"))) {
    const src = join(repositoryRoot, "services", service, "src");
    if (!existsSync(src)) continue;
    for (const file of await sourceFiles(src)) {
      const text = await readFile(file, "utf8");
      for (const match of text.matchAll(new RegExp(pattern, "g"))) {
        const line = text.slice(0, match.index).split("\n").length;
        for (const identifier of identifiersOf(match)) {
          found.push({ service, identifier, at: `${relative(repositoryRoot, file)}:${line}` });
        }
      }
    }
  }
  return found;
}

/** Catalog type name → the services whose code does it (publish or consume). */
function servicesByType(found: { service: string; identifier: string }[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const { service, identifier } of found) {
    const type = catalogConstants.get(identifier);
    if (type === undefined) continue;
    const services = result.get(type.typeName) ?? [];
    if (!services.includes(service)) services.push(service);
    result.set(type.typeName, services.sort());
  }
  return result;
}

const servicesNamedIn = (text: string) => serviceNames.filter((name) => text.includes(name)).sort();

describe("event catalog governance", () => {
  it("docs/events.md lists exactly the event types of eventCatalog", async () => {
    const documented = (await documentedRows()).map((row) => row.ceType).sort();
    expect(documented).toEqual([...catalogByName.keys()].sort());
  });

  it("each documented event has the catalog's subject and stream and an existing proto message", async () => {
    for (const row of await documentedRows()) {
      const type = catalogByName.get(row.ceType);
      expect(type, row.ceType).toBeDefined();
      expect({ subject: row.subject, stream: row.stream }, row.ceType).toEqual({
        subject: type?.subject,
        stream: type?.stream.name,
      });
      const proto = await readFile(join(repositoryRoot, row.proto), "utf8");
      const messageName = row.ceType.split(".").at(-1);
      expect(proto, `${row.proto} declares ${messageName}`).toContain(`message ${messageName} {`);
    }
  });

  it("code publishes only cataloged types, each from the producer the document names", async () => {
    const calls = await scanServices(/appendToOutbox\(\s*[^,()]+,\s*([\w$.]+)\s*,/, (match) => [
      (match[1] ?? "").split(".").at(-1) ?? "",
    ]);
    const unknown = calls.filter((call) => !catalogConstants.has(call.identifier));
    expect(
      unknown.map((call) => `${call.at}: ${call.identifier}`),
      "appendToOutbox must be given an eventCatalog constant from @switchyard/events",
    ).toEqual([]);

    const publishers = servicesByType(calls);
    for (const row of await documentedRows()) {
      expect(publishers.get(row.ceType) ?? [], `publishers of ${row.ceType}`).toEqual(
        servicesNamedIn(row.producer),
      );
    }
  });

  it("the consumers column names the services whose consumers handle each type", async () => {
    const consumed = await scanServices(/eventTypes:\s*\[([^\]]*)\]/, (match) =>
      (match[1] ?? "")
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== ""),
    );
    const unknown = consumed.filter((entry) => !catalogConstants.has(entry.identifier));
    expect(unknown.map((entry) => `${entry.at}: ${entry.identifier}`)).toEqual([]);

    const consumers = servicesByType(consumed);
    for (const row of await documentedRows()) {
      expect(consumers.get(row.ceType) ?? [], `consumers of ${row.ceType}`).toEqual(
        servicesNamedIn(row.consumers),
      );
    }
  });

  it("every cataloged event has committed binary fixtures that decode", async () => {
    const fixtures = join(repositoryRoot, "packages/events/test/fixtures");
    for (const type of events.eventCatalog) {
      const folder = join(fixtures, type.typeName);
      const files = existsSync(folder)
        ? (await readdir(folder)).filter((file) => file.endsWith(".binpb"))
        : [];
      expect(
        files,
        `fixtures of ${type.typeName} (run packages/events/scripts/write-fixtures.ts)`,
      ).not.toEqual([]);
      for (const file of files) {
        const message = type.codec.decode(new Uint8Array(await readFile(join(folder, file))));
        expect((message as { eventId: string }).eventId, `${type.typeName}/${file}`).toMatch(
          /^[0-9a-f-]{36}$/,
        );
      }
    }
  });
});

describe("buf breaking on event contracts", () => {
  const directories: string[] = [];
  afterAll(async () => {
    for (const directory of directories) await rm(directory, { recursive: true, force: true });
  });

  it("rejects retyping a field of a published event, with the repository's buf.yaml", async () => {
    const root = await mkdtemp(join(tmpdir(), "event-breaking-"));
    directories.push(root);
    for (const name of ["original", "changed"]) {
      for (const entry of ["buf.yaml", "proto", "third_party"]) {
        await cp(join(repositoryRoot, entry), join(root, name, entry), { recursive: true });
      }
    }
    const file = join(root, "changed", "proto/switchyard/order/events/v1/order_events.proto");
    const source = await readFile(file, "utf8");
    const changed = source.replace("int64 total_minor = 7;", "string total_minor = 7;");
    expect(changed).not.toBe(source);
    await writeFile(file, changed);

    const result = await runBuf(["breaking", "changed", "--against", "original"], root);

    expect(result.code).toBe(100);
    expect(result.output).toMatch(/"total_minor" on message "OrderPlaced" changed type/);
  });
});

import { type Attributes, context, type Span, SpanKind, trace } from "@opentelemetry/api";
import type postgres from "postgres";
import { type DatabaseTelemetry, endSpan, errorType } from "./database-telemetry.js";
import { summarizeQuery } from "./query-summary.js";

/**
 * The parts of a postgres.js `Query` (a lazy Promise subclass) the wrapper uses. `handle()`
 * runs the query once, on the first then/catch/finally/execute/forEach; `string` is the final
 * statement text with $n placeholders, set when it is sent.
 */
interface PendingQuery extends Promise<unknown> {
  handle(): Promise<void>;
  executed: boolean;
  tagged: boolean;
  strings: readonly string[];
  args: readonly unknown[];
  string?: string;
  cursorRows?: number;
  streaming?: boolean;
}

function isPendingQuery(value: unknown): value is PendingQuery {
  return value instanceof Promise && typeof (value as { handle?: unknown }).handle === "function";
}

/** Where the wrapped client sits: the pool (its queries take a connection) or inside one. */
type Scope = "pool" | "connection";

type SqlFunction = (...args: unknown[]) => unknown;
type TransactionBody = (sql: postgres.Sql) => unknown;

const maxQueryTextLength = 4_000;

/** What every run of one statement is measured and traced with, worked out once per pool. */
interface Statement {
  /** `db.query.summary`, also the span name. */
  summary: string;
  /** Span attributes at start: the pool's, operation, collection and summary. */
  spanAttributes: Attributes;
  /** Attributes of `db.client.operation.duration` for a run that succeeded. */
  metricAttributes: Attributes;
}

/** Statements seen by one pool: tagged templates by call site, `unsafe` text by value. */
interface StatementCache {
  tagged: WeakMap<readonly string[], Statement>;
  text: Map<string, Statement>;
}

// Drizzle sends every statement through `unsafe` with the same few texts: bounded, since an
// application could also build texts without end.
const maxCachedTexts = 500;
const statementCaches = new WeakMap<DatabaseTelemetry, StatementCache>();

function statementOf(query: PendingQuery, telemetry: DatabaseTelemetry): Statement {
  let cache = statementCaches.get(telemetry);
  if (cache === undefined) {
    cache = { tagged: new WeakMap(), text: new Map() };
    statementCaches.set(telemetry, cache);
  }
  if (query.tagged) {
    let statement = cache.tagged.get(query.strings);
    if (statement === undefined) {
      statement = newStatement(query.strings.join("$"), telemetry);
      cache.tagged.set(query.strings, statement);
    }
    return statement;
  }
  const text = query.strings[0] ?? "";
  let statement = cache.text.get(text);
  if (statement === undefined) {
    statement = newStatement(text, telemetry);
    if (cache.text.size >= maxCachedTexts) cache.text.clear();
    cache.text.set(text, statement);
  }
  return statement;
}

function newStatement(text: string, telemetry: DatabaseTelemetry): Statement {
  const { operation, collection, summary } = summarizeQuery(text);
  const attributes = {
    ...(operation === undefined ? {} : { "db.operation.name": operation }),
    ...(collection === undefined ? {} : { "db.collection.name": collection }),
  };
  return {
    summary,
    spanAttributes: Object.freeze({
      ...telemetry.attributes,
      ...attributes,
      "db.query.summary": summary,
    }),
    metricAttributes: Object.freeze({ ...telemetry.attributes, ...attributes }),
  };
}

/** One run of a query being measured (and traced, when `span` is set). */
interface Run {
  query: PendingQuery;
  statement: Statement;
  telemetry: DatabaseTelemetry;
  span: Span | undefined;
  holdsConnection: boolean;
  started: number;
}

/** What `observingHandle` needs, kept on the query itself (no closure per query). */
const observation = Symbol("switchyard.observation");
interface Observed extends PendingQuery {
  [observation]: { run: PendingQuery["handle"]; telemetry: DatabaseTelemetry; scope: Scope };
}

/** Replaces a query's `handle`: observes its first real run, then runs it. */
function observingHandle(this: Observed): Promise<void> {
  const { run, telemetry, scope } = this[observation];
  this.handle = run;
  if (!this.executed && this.cursorRows === undefined && !this.streaming) {
    observe(this, telemetry, scope);
  }
  return run.call(this);
}

function observe(query: PendingQuery, telemetry: DatabaseTelemetry, scope: Scope): void {
  const statement = statementOf(query, telemetry);
  // As telemetry.startSpan, without building the attributes again for every run.
  const parent = context.active();
  const span = trace.getSpan(parent)?.isRecording()
    ? telemetry.tracer.startSpan(
        statement.summary,
        { kind: SpanKind.CLIENT, attributes: statement.spanAttributes },
        parent,
      )
    : undefined;
  const holdsConnection = scope === "pool";
  if (holdsConnection) telemetry.acquire();
  const run: Run = {
    query,
    statement,
    telemetry,
    span,
    holdsConnection,
    started: performance.now(),
  };
  // Promise.prototype.then, not query.then: observing must not run the query again.
  Promise.prototype.then.call(
    query,
    (result: unknown) => finish(run, undefined, result),
    (error: unknown) => finish(run, error ?? new Error("query failed"), undefined),
  );
}

function finish(run: Run, error: unknown, result: unknown): void {
  const { query, statement, telemetry, span } = run;
  if (run.holdsConnection) telemetry.release();
  telemetry.operationDuration.record(
    (performance.now() - run.started) / 1_000,
    error === undefined
      ? statement.metricAttributes
      : { ...statement.metricAttributes, "error.type": errorType(error) },
  );
  if (span === undefined) return;
  // Bind parameters are never recorded; text without parameters (`unsafe` DDL) may hold
  // literals, so only parameterised text is kept.
  if (query.string !== undefined && (query.tagged || query.args.length > 0)) {
    span.setAttribute("db.query.text", query.string.slice(0, maxQueryTextLength));
  }
  if (Array.isArray(result)) span.setAttribute("db.response.returned_rows", result.length);
  endSpan(span, error);
}

/**
 * Wraps a postgres.js client so every query it runs, every transaction (`begin`), savepoint and
 * reservation is measured, and traced when a recording span is active (no root spans: a
 * relay's polling is not a trace). Drizzle built on the wrapped client goes through it too
 * (`unsafe`, `begin`, `savepoint`). Query fragments (`sql\`…\`` inside another query) and
 * helpers (`sql(ids)`) are never run, so never measured. Cursors and COPY streams are not
 * measured (their promise does not settle the usual way).
 */
export function instrumentSql<T extends postgres.Sql | postgres.TransactionSql>(
  sql: T,
  telemetry: DatabaseTelemetry,
  scope: Scope = "pool",
): T {
  // `unsafe` / `file` wrapped once per client (drizzle reads `unsafe` for every statement).
  const wrapped = new Map<PropertyKey, { of: SqlFunction; wrapper: SqlFunction }>();
  return new Proxy(sql, {
    apply(target, thisArg, args: unknown[]) {
      return observed(Reflect.apply(target as unknown as SqlFunction, thisArg, args));
    },
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      switch (property) {
        case "unsafe":
        case "file": {
          const known = wrapped.get(property);
          if (known?.of === value) return known.wrapper;
          const method = value as SqlFunction;
          const wrapper: SqlFunction = (...args) => observed(method.apply(target, args));
          wrapped.set(property, { of: method, wrapper });
          return wrapper;
        }
        case "begin":
          return (...args: unknown[]) =>
            traceScope("transaction", value as SqlFunction, target, args);
        case "savepoint":
          return (...args: unknown[]) =>
            traceScope("savepoint", value as SqlFunction, target, args);
        case "reserve":
          return () => reserve(value as () => Promise<postgres.ReservedSql>, target);
        default:
          return value;
      }
    },
  });

  function observed(result: unknown): unknown {
    if (!isPendingQuery(result)) return result;
    (result as Observed)[observation] = { run: result.handle, telemetry, scope };
    result.handle = observingHandle;
    return result;
  }

  function traceScope(
    name: "transaction" | "savepoint",
    method: SqlFunction,
    target: T,
    args: unknown[],
  ): unknown {
    const body = args.at(-1);
    if (typeof body !== "function") return method.apply(target, args);
    const parent = context.active();
    const span = telemetry.startSpan(name, parent);
    const inside = span === undefined ? parent : trace.setSpan(parent, span);
    const holdsConnection = name === "transaction" && scope === "pool";
    if (holdsConnection) telemetry.acquire();
    const traced: TransactionBody = (tx) =>
      context.with(inside, () =>
        (body as TransactionBody)(instrumentSql(tx, telemetry, "connection")),
      );
    const settled = (error?: unknown) => {
      if (holdsConnection) telemetry.release();
      endSpan(span, error);
    };
    const outcome = method.apply(target, [...args.slice(0, -1), traced]) as Promise<unknown>;
    return outcome.then(
      (value) => {
        settled();
        return value;
      },
      (error: unknown) => {
        settled(error ?? new Error(`${name} failed`));
        throw error;
      },
    );
  }

  async function reserve(method: () => Promise<postgres.ReservedSql>, target: T) {
    const reserved = await method.call(target);
    telemetry.acquire();
    const release = reserved.release;
    let released = false;
    reserved.release = () => {
      if (!released) {
        released = true;
        telemetry.release();
      }
      release();
    };
    return instrumentSql(reserved, telemetry, "connection");
  }
}

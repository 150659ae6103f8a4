import {
  type Attributes,
  type BatchObservableResult,
  type Context,
  type Histogram,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";

const instrumentationName = "@switchyard/database";

/** Buckets of `db.client.operation.duration` (s), as the database conventions recommend. */
const durationBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

/** Where a pool connects: the attributes every span and metric of it carries. */
export interface DatabaseTarget {
  /** `db.namespace`: the database name. */
  database: string;
  host: string;
  port: number;
  /** The pool's size (`max`). */
  maxConnections: number;
}

/**
 * Spans and metrics of one pool, through the global OpenTelemetry API (no-ops until a provider
 * is registered). The meter is taken when the pool is created: register the MeterProvider
 * before `connectDatabase`.
 */
export interface DatabaseTelemetry {
  readonly tracer: Tracer;
  readonly attributes: Attributes;
  readonly operationDuration: Histogram;
  /** A span under `parent` when a recording span is active there; else undefined (no root spans). */
  startSpan(name: string, parent: Context, attributes?: Attributes): Span | undefined;
  /** A connection taken from the pool (a query outside a transaction, a transaction, a reservation). */
  acquire(): void;
  release(): void;
  /** Stops reporting the pool gauges (the pool is closed). */
  stop(): void;
}

export function createDatabaseTelemetry(target: DatabaseTarget): DatabaseTelemetry {
  const tracer = trace.getTracer(instrumentationName);
  const meter = metrics.getMeter(instrumentationName);
  const attributes: Attributes = {
    "db.system.name": "postgresql",
    "db.namespace": target.database,
    "server.address": target.host,
    "server.port": target.port,
  };
  const poolAttributes: Attributes = {
    "db.client.connection.pool.name": `${target.host}:${target.port}/${target.database}`,
  };
  let inUse = 0;

  const operationDuration = meter.createHistogram("db.client.operation.duration", {
    description: "Duration of database client operations (each query).",
    unit: "s",
    advice: { explicitBucketBoundaries: durationBuckets },
  });
  // postgres.js does not expose its pool's state. What the wrapper knows is how many operations
  // hold (or wait for) a connection right now: up to `max` of them are "used" connections, the
  // rest wait in postgres.js's queue. Idle connections are not counted (unknown).
  const connectionCount = meter.createObservableUpDownCounter("db.client.connection.count", {
    description:
      "Connections in use: operations holding a connection (queries outside transactions, transactions, reservations), at most the pool size.",
    unit: "{connection}",
  });
  const pendingRequests = meter.createObservableUpDownCounter(
    "db.client.connection.pending_requests",
    { description: "Operations waiting for a free connection.", unit: "{request}" },
  );
  const maxConnections = meter.createObservableUpDownCounter("db.client.connection.max", {
    description: "The pool's maximum number of connections.",
    unit: "{connection}",
  });
  const observe = (result: BatchObservableResult) => {
    result.observe(connectionCount, Math.min(inUse, target.maxConnections), {
      ...poolAttributes,
      "db.client.connection.state": "used",
    });
    result.observe(pendingRequests, Math.max(0, inUse - target.maxConnections), poolAttributes);
    result.observe(maxConnections, target.maxConnections, poolAttributes);
  };
  const observables = [connectionCount, pendingRequests, maxConnections];
  meter.addBatchObservableCallback(observe, observables);

  return {
    tracer,
    attributes,
    operationDuration,
    startSpan(name, parent, extra) {
      if (!trace.getSpan(parent)?.isRecording()) return undefined;
      return tracer.startSpan(
        name,
        { kind: SpanKind.CLIENT, attributes: { ...attributes, ...extra } },
        parent,
      );
    },
    acquire() {
      inUse++;
    },
    release() {
      inUse--;
    },
    stop() {
      meter.removeBatchObservableCallback(observe, observables);
    },
  };
}

/** Ends `span` (if any) as failed with `error`, or as OK. */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (span === undefined) return;
  if (error !== undefined) {
    span.setAttribute("error.type", errorType(error));
    const code = postgresErrorCode(error);
    if (code !== undefined) span.setAttribute("db.response.status_code", code);
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  span.end();
}

/** SQLSTATE of a server error, or postgres.js's code of a connection error (CONNECT_TIMEOUT…). */
function postgresErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** `error.type`: the SQLSTATE / connection error code, else the error class name. */
export function errorType(error: unknown): string {
  return postgresErrorCode(error) ?? (error instanceof Error ? error.name : "_OTHER");
}

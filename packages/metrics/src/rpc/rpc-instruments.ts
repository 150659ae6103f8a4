import { AsyncLocalStorage } from "node:async_hooks";
import { type Attributes, type Histogram, type MeterProvider, metrics } from "@opentelemetry/api";
import { durationBucketsSeconds } from "../duration-buckets.js";

const meterName = "@switchyard/metrics";

/** The two RPC duration instruments of the RPC semantic conventions, in seconds. */
export interface RpcInstruments {
  server: Histogram;
  client: Histogram;
}

const byProvider = new WeakMap<MeterProvider, RpcInstruments>();

/**
 * The MeterProvider of the host whose call is being served: the Connect server interceptor
 * runs the handler inside it, so client calls a handler makes (gateway → services) record on
 * the same host's provider even when several hosts share a process (in-process test stacks).
 */
export const servingHostMeterProvider = new AsyncLocalStorage<MeterProvider>();

/**
 * The RPC instruments of `provider` (created once per provider). Without a provider: those of
 * the host serving the current call, else of the global provider at the time of the call, so
 * clients built before the host's metrics started (or outside any host) still record.
 */
export function rpcInstruments(provider?: MeterProvider): RpcInstruments {
  const owner = provider ?? servingHostMeterProvider.getStore() ?? metrics.getMeterProvider();
  let instruments = byProvider.get(owner);
  if (instruments === undefined) {
    const meter = owner.getMeter(meterName);
    const advice = { explicitBucketBoundaries: [...durationBucketsSeconds] };
    instruments = {
      server: meter.createHistogram("rpc.server.call.duration", {
        description: "Duration of RPCs served, from the request's arrival to the status sent.",
        unit: "s",
        advice,
      }),
      client: meter.createHistogram("rpc.client.call.duration", {
        description: "Duration of RPCs made, from the call's start to its status.",
        unit: "s",
        advice,
      }),
    };
    byProvider.set(owner, instruments);
  }
  return instruments;
}

/** `/pkg.Service/Method` → its service and method (rpc.service, rpc.method). */
export function rpcNamesOfPath(path: string): { "rpc.service": string; "rpc.method": string } {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  return match?.[1] !== undefined && match[2] !== undefined
    ? { "rpc.service": match[1], "rpc.method": match[2] }
    : { "rpc.service": "unknown", "rpc.method": "unknown" };
}

/**
 * The attributes of a grpc-js call by its path and status code (rpc.system "grpc", rpc.service,
 * rpc.method, rpc.grpc.status_code), each set built on first use and then reused. Paths are the
 * methods of the services a client or server was built with: a bounded set.
 */
export function grpcAttributesByPath(): (path: string, code: number) => Attributes {
  const byPath = new Map<string, Attributes[]>();
  return (path, code) => {
    let byCode = byPath.get(path);
    if (byCode === undefined) {
      byCode = [];
      byPath.set(path, byCode);
    }
    let attributes = byCode[code];
    if (attributes === undefined) {
      attributes = { "rpc.system": "grpc", ...rpcNamesOfPath(path), "rpc.grpc.status_code": code };
      byCode[code] = attributes;
    }
    return attributes;
  };
}

/** Seconds since `startedAt` (a `process.hrtime.bigint()` reading). */
export function secondsSince(startedAt: bigint): number {
  return Number(process.hrtime.bigint() - startedAt) / 1e9;
}

import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  grpcClientMetricsInterceptor,
  grpcServerMetricsInterceptor,
  type HostMetrics,
  observeLoadShedding,
  startHostMetrics,
} from "../src/index.js";
import {
  findPromtool,
  promtoolCheckMetrics,
  promtoolMissingMessage,
  scrape,
  sumOf,
} from "../src/testing.js";

const bytes = (value: Buffer) => value;
const method = (name: string) => ({
  path: `/switchyard.test.v1.EchoService/${name}`,
  requestStream: false,
  responseStream: false,
  requestSerialize: bytes,
  requestDeserialize: bytes,
  responseSerialize: bytes,
  responseDeserialize: bytes,
});
const definition = { Echo: method("Echo"), Fail: method("Fail") };

describe("gRPC RED metrics on a host's /metrics", () => {
  let host: HostMetrics;
  let server: grpc.Server;
  let client: grpc.Client & Record<string, grpc.requestCallback<Buffer> & CallableFunction>;
  const promtool = findPromtool();

  beforeAll(async () => {
    host = await startHostMetrics({
      service: "metrics-test",
      config: { ADMIN_HOST: "127.0.0.1", ADMIN_PORT: 0 },
      env: {},
    });
    server = new grpc.Server({ interceptors: [grpcServerMetricsInterceptor(host.meterProvider)] });
    server.addService(definition, {
      Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) =>
        done(null, call.request),
      Fail: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) =>
        done({ code: grpc.status.INVALID_ARGUMENT, details: "bad input" }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    const Client = grpc.makeGenericClientConstructor(definition, "EchoService");
    client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      interceptors: [grpcClientMetricsInterceptor(host.meterProvider)],
    }) as typeof client;
    observeLoadShedding(host.meterProvider, () => ({ limit: 7, inFlight: 2, rejections: 5 }));
  });

  afterAll(async () => {
    client?.close();
    server?.forceShutdown();
    await host?.shutdown();
  });

  const call = (name: "Echo" | "Fail") =>
    new Promise<grpc.status>((resolve) => {
      (client[name] as CallableFunction)(Buffer.from("hi"), (error: grpc.ServiceError | null) =>
        resolve(error === null ? grpc.status.OK : error.code),
      );
    });

  it("counts every call in rpc.server/client.call.duration by method and status code, in seconds buckets", async () => {
    expect(await Promise.all([call("Echo"), call("Echo"), call("Echo"), call("Fail")])).toEqual([
      grpc.status.OK,
      grpc.status.OK,
      grpc.status.OK,
      grpc.status.INVALID_ARGUMENT,
    ]);
    const text = await scrape(host.metricsUrl);
    const echo = {
      rpc_system: "grpc",
      rpc_service: "switchyard.test.v1.EchoService",
      rpc_method: "Echo",
    };
    const fail = { ...echo, rpc_method: "Fail" };
    expect(
      sumOf(text, "rpc_server_call_duration_count", { ...echo, rpc_grpc_status_code: "0" }),
    ).toBe(3);
    expect(
      sumOf(text, "rpc_server_call_duration_count", { ...fail, rpc_grpc_status_code: "3" }),
    ).toBe(1);
    expect(
      sumOf(text, "rpc_client_call_duration_count", { ...echo, rpc_grpc_status_code: "0" }),
    ).toBe(3);
    expect(
      sumOf(text, "rpc_client_call_duration_count", { ...fail, rpc_grpc_status_code: "3" }),
    ).toBe(1);
    // The explicit second-based bounds, not the SDK's millisecond defaults (0, 5, 10, 25, …).
    const bounds = text
      .split("\n")
      .filter(
        (line) =>
          line.startsWith("rpc_server_call_duration_bucket") && line.includes('rpc_method="Fail"'),
      )
      .map((line) => /le="([^"]+)"/.exec(line)?.[1]);
    expect(bounds).toEqual([
      "0.001",
      "0.0025",
      "0.005",
      "0.01",
      "0.025",
      "0.05",
      "0.075",
      "0.1",
      "0.25",
      "0.5",
      "0.75",
      "1",
      "2.5",
      "5",
      "7.5",
      "10",
      "+Inf",
    ]);
    expect(sumOf(text, "switchyard_load_shedding_limit")).toBe(7);
    expect(sumOf(text, "switchyard_load_shedding_in_flight")).toBe(2);
    expect(sumOf(text, "switchyard_load_shedding_rejections_total")).toBe(5);
    expect(text).toMatch(/target_info\{[^}]*service_name="metrics-test"/);
  });

  it.skipIf(promtool === undefined)("passes promtool check metrics (exit 0)", async () => {
    await call("Fail");
    const verdict = await promtoolCheckMetrics(await scrape(host.metricsUrl), promtool);
    expect(verdict.output).toBe("");
    expect(verdict.exitCode).toBe(0);
  });
  it.skipIf(promtool === undefined)(
    "the promtool check can fail: lint problems exit 3",
    async () => {
      // A counter without _total and a camelCase name: promtool's own lint rules.
      const verdict = await promtoolCheckMetrics(
        "# HELP requestsServed served\n# TYPE requestsServed counter\nrequestsServed 1\n",
        promtool,
      );
      expect(verdict.exitCode).toBe(3);
    },
  );
  if (promtool === undefined) it.skip(promtoolMissingMessage, () => {});

  it("serves nothing but /metrics on the admin port", async () => {
    const other = await fetch(host.metricsUrl.replace("/metrics", "/debug"));
    expect(other.status).toBe(404);
  });
});

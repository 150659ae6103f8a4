import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectServerMetricsInterceptor,
  type HostMetrics,
  rateLimitDecisions,
  startHostMetrics,
} from "../src/index.js";
import { samplesOf, scrape, sumOf } from "../src/testing.js";

// Two hosts in one process, as in the in-process test stacks: the first is the global provider,
// the second is not. What a handler records without naming a provider (its client calls, the
// gateway's rate-limit decisions) must land on the host serving the call, whichever it is.

type Call = Parameters<Parameters<Interceptor>[0]>[0];
const request = (method: string) =>
  ({ service: { typeName: "switchyard.test.v1.EchoService" }, method: { name: method } }) as Call;
const answer = { stream: false } as Awaited<ReturnType<Parameters<Interceptor>[0]>>;
const echo = {
  rpc_system: "connect_rpc",
  rpc_service: "switchyard.test.v1.EchoService",
  rpc_method: "Echo",
};

describe("Connect RED metrics, two hosts in one process", () => {
  let global: HostMetrics;
  let second: HostMetrics;
  // Records on whatever provider serves the call (none named), as handlers' clients do.
  const decision = rateLimitDecisions();

  beforeAll(async () => {
    const config = { ADMIN_HOST: "127.0.0.1", ADMIN_PORT: 0 };
    global = await startHostMetrics({ service: "first", config, env: {} });
    second = await startHostMetrics({ service: "second", config, env: {} });
  });
  afterAll(async () => {
    await second?.shutdown();
    await global?.shutdown();
  });

  /** One call through `host`'s server interceptor; the handler records a decision `policy`. */
  const serve = (host: HostMetrics, method: string, policy: string, fail?: ConnectError) =>
    connectServerMetricsInterceptor(host.meterProvider)(async () => {
      await Promise.resolve();
      decision(policy, "accepted");
      if (fail !== undefined) throw fail;
      return answer;
    })(request(method));

  it("counts each host's calls on it, and what its handlers record lands there too", async () => {
    await Promise.all([
      serve(global, "Echo", "on-first"),
      serve(second, "Echo", "on-second"),
      serve(second, "Echo", "on-second"),
      expect(
        serve(second, "Fail", "on-second", new ConnectError("no", Code.InvalidArgument)),
      ).rejects.toThrow("no"),
    ]);
    const first = await scrape(global.metricsUrl);
    const other = await scrape(second.metricsUrl);
    const decisions = "switchyard_rate_limit_decisions_total";
    expect(sumOf(first, decisions, { switchyard_rate_limit_policy: "on-first" })).toBe(1);
    expect(sumOf(first, decisions, { switchyard_rate_limit_policy: "on-second" })).toBe(0);
    expect(sumOf(other, decisions, { switchyard_rate_limit_policy: "on-second" })).toBe(3);
    expect(sumOf(other, decisions, { switchyard_rate_limit_policy: "on-first" })).toBe(0);

    expect(sumOf(first, "rpc_server_call_duration_count", echo)).toBe(1);
    expect(sumOf(other, "rpc_server_call_duration_count", echo)).toBe(2);
    // The error code only on the failed call's series, named as the Connect protocol names it.
    expect(
      sumOf(other, "rpc_server_call_duration_count", {
        ...echo,
        rpc_method: "Fail",
        rpc_connect_rpc_error_code: "invalid_argument",
      }),
    ).toBe(1);
    const echoSeries = samplesOf(other, "rpc_server_call_duration_count").filter(
      (sample) => sample.labels.rpc_method === "Echo",
    );
    expect(echoSeries.map((sample) => sample.labels.rpc_connect_rpc_error_code)).toEqual([
      undefined,
    ]);
  });

  it("counts a call whose next step throws before returning a promise", async () => {
    const interceptor = connectServerMetricsInterceptor(global.meterProvider);
    const thrown = () => {
      throw new ConnectError("refused", Code.PermissionDenied);
    };
    await expect(interceptor(thrown)(request("Refused"))).rejects.toThrow("refused");
    const text = await scrape(global.metricsUrl);
    expect(
      sumOf(text, "rpc_server_call_duration_count", {
        ...echo,
        rpc_method: "Refused",
        rpc_connect_rpc_error_code: "permission_denied",
      }),
    ).toBe(1);
  });
});

import { createContextValues, createHandlerContext } from "@connectrpc/connect";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { describe, expect, it } from "vitest";
import { deadlinePolicyKey, downstreamDeadline } from "./deadline.js";

function contextWith(timeoutMs: number | undefined) {
  const values = createContextValues().set(deadlinePolicyKey, { defaultMs: 5_000, maxMs: 30_000 });
  return createHandlerContext({
    service: WebService,
    method: WebService.method.getDashboard,
    protocolName: "connect",
    requestMethod: "POST",
    url: "http://127.0.0.1/switchyard.bff.web.v1.WebService/GetDashboard",
    contextValues: values,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

describe("downstreamDeadline", () => {
  it("is the caller's remaining timeout, as Connect parsed it for any protocol", () => {
    const deadline = downstreamDeadline(contextWith(250), 1_000);
    // What is left of 250 ms, not the 5 s default; how much is left depends on the machine's
    // load between creating the context and reading it (50 ms of margin failed under load).
    expect(deadline).toBeGreaterThan(1_000);
    expect(deadline).toBeLessThanOrEqual(1_000 + 250);
  });

  it("uses the default without a caller timeout and caps a long one at the maximum", () => {
    expect(downstreamDeadline(contextWith(undefined), 1_000)).toBe(6_000);
    expect(downstreamDeadline(contextWith(3_600_000), 1_000)).toBe(31_000);
  });

  it("refuses to guess when the deadline interceptor is not in the chain", () => {
    const context = createHandlerContext({
      service: WebService,
      method: WebService.method.getDashboard,
      protocolName: "connect",
      requestMethod: "POST",
      url: "http://127.0.0.1/",
    });
    expect(() => downstreamDeadline(context)).toThrow(/deadlineInterceptor/);
  });
});

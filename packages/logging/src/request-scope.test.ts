import { AsyncLocalStorage } from "node:async_hooks";
import { context, createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { currentRequestId, runWithRequestContext } from "./request-context.js";
import { RequestScopeContextManager } from "./request-scope-context-manager.js";

const key = createContextKey("test value");
const later = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe("the request scope: request id and OpenTelemetry context on one AsyncLocalStorage", () => {
  beforeEach(() => {
    expect(context.setGlobalContextManager(new RequestScopeContextManager())).toBe(true);
  });
  afterEach(() => {
    context.disable();
  });

  it("carries both across awaits, each kept when the other is set inside it", async () => {
    const seen = await runWithRequestContext({ requestId: "req-1" }, async () => {
      await later();
      return context.with(context.active().setValue(key, "span A"), async () => {
        await later();
        const inner = { requestId: currentRequestId(), value: context.active().getValue(key) };
        const nested = await runWithRequestContext({ requestId: "req-2" }, async () => {
          await later();
          return { requestId: currentRequestId(), value: context.active().getValue(key) };
        });
        return { inner, nested, after: currentRequestId() };
      });
    });
    expect(seen).toEqual({
      inner: { requestId: "req-1", value: "span A" },
      nested: { requestId: "req-2", value: "span A" },
      after: "req-1",
    });
    expect(currentRequestId()).toBeUndefined();
    expect(context.active()).toBe(ROOT_CONTEXT);
  });

  it("keeps concurrent requests apart", async () => {
    const one = (id: string) =>
      runWithRequestContext({ requestId: id }, () =>
        context.with(context.active().setValue(key, `value of ${id}`), async () => {
          await later();
          await later();
          return `${currentRequestId()} ${String(context.active().getValue(key))}`;
        }),
      );
    expect(await Promise.all(["a", "b", "c"].map(one))).toEqual([
      "a value of a",
      "b value of b",
      "c value of c",
    ]);
  });

  it("binds a function to a context, with its own this and arguments", async () => {
    const manager = new RequestScopeContextManager();
    const bound = manager.bind(
      ROOT_CONTEXT.setValue(key, "bound"),
      function (this: { name: string }, suffix: string) {
        return `${this.name} ${String(context.active().getValue(key))} ${suffix}`;
      },
    );
    expect(bound.call({ name: "target" }, "!")).toBe("target bound !");
    const emitterLike = { on() {} };
    expect(manager.bind(ROOT_CONTEXT, emitterLike)).toBe(emitterLike);
  });

  it("needs no AsyncLocalStorage of its own: tracing adds none to the process", () => {
    const created: unknown[] = [];
    const original = AsyncLocalStorage.prototype.run;
    AsyncLocalStorage.prototype.run = function (this: unknown, ...args: never[]) {
      created.push(this);
      return (original as (...a: never[]) => unknown).apply(this, args);
    } as typeof original;
    try {
      runWithRequestContext({ requestId: "x" }, () =>
        context.with(ROOT_CONTEXT.setValue(key, 1), () => undefined),
      );
    } finally {
      AsyncLocalStorage.prototype.run = original;
    }
    expect(created).toHaveLength(2);
    expect(created[0]).toBe(created[1]);
  });
});

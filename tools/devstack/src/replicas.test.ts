import { describe, expect, it } from "vitest";
import { readyBanner } from "./banner.js";
import { devstackComponents } from "./components.js";
import { readDevstackSettings } from "./devstack-settings.js";
import { replicasOf, replicasTarget } from "./replicas.js";

describe("DEVSTACK_REPLICAS", () => {
  it("gives each replica its own port and admin port, and peers a target naming all of them", () => {
    const gateway = devstackComponents(3000).find((component) => component.name === "gateway");
    if (gateway === undefined) throw new Error("no gateway component");
    const [first, second] = replicasOf(gateway, 2);
    expect([first?.label, first?.port, first?.adminPort]).toEqual([
      "gateway-1",
      gateway.port,
      gateway.adminPort,
    ]);
    expect([second?.label, second?.port, second?.adminPort]).toEqual([
      "gateway-2",
      gateway.port + 100,
      gateway.adminPort + 100,
    ]);
    expect(replicasTarget(replicasOf(gateway, 2))).toBe(
      `ipv4:127.0.0.1:${gateway.port},127.0.0.1:${gateway.port + 100}`,
    );
    expect(replicasOf(gateway, 1).map((replica) => replica.label)).toEqual(["gateway"]);
    expect(replicasTarget(replicasOf(gateway, 1))).toBe(`127.0.0.1:${gateway.port}`);
  });

  it("is read from the environment (1 by default, 1..4)", () => {
    expect(readDevstackSettings({}, "/repo").replicas).toBe(1);
    expect(readDevstackSettings({ DEVSTACK_REPLICAS: "2" }, "/repo").replicas).toBe(2);
    expect(() => readDevstackSettings({ DEVSTACK_REPLICAS: "9" }, "/repo")).toThrow(
      /DEVSTACK_REPLICAS must be an integer 1..4/,
    );
  });

  it("the banner lists every replica with its port", () => {
    const banner = readyBanner({
      components: devstackComponents(0).flatMap((component) => replicasOf(component, 2)),
      postgres: { adminUrl: "postgres://postgres@127.0.0.1:5432/postgres", source: "local" },
      nats: { url: "nats://127.0.0.1:4222", source: "local" },
      stateDir: "/repo/.devstack",
      certsDir: "/repo/certs/out",
      repositoryRoot: "/repo",
    });
    expect(banner).toMatch(/user-service-1 +127\.0\.0\.1:50051 /);
    expect(banner).toMatch(/user-service-2 +127\.0\.0\.1:50151 /);
    expect(banner).toMatch(/gateway-2 +127\.0\.0\.1:8180 /);
  });
});

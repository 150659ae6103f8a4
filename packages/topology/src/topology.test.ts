import { describe, expect, it } from "vitest";
import { z } from "zod";
import { kubernetesTopology, localTopology } from "./topology.js";
import { topologyConfigShape, topologyFromConfig } from "./topology-config.js";

const schema = z.object(topologyConfigShape);

describe("topology", () => {
  it("local profile puts every service on 127.0.0.1 at its default port", () => {
    expect(localTopology()).toEqual({
      "user-service": "127.0.0.1:50051",
      "order-service": "127.0.0.1:50052",
      gateway: "127.0.0.1:8080",
      "web-bff": "127.0.0.1:8081",
    });
  });

  it("local profile takes another host and per-service ports", () => {
    const topology = localTopology("10.0.0.7", { "order-service": 6000 });
    expect(topology["order-service"]).toBe("10.0.0.7:6000");
    expect(topology["user-service"]).toBe("10.0.0.7:50051");
  });

  it("kubernetes profile uses dns:/// cluster names in the namespace", () => {
    expect(kubernetesTopology()).toEqual({
      "user-service": "dns:///user-service.switchyard.svc.cluster.local:50051",
      "order-service": "dns:///order-service.switchyard.svc.cluster.local:50052",
      gateway: "dns:///gateway.switchyard.svc.cluster.local:8080",
      "web-bff": "dns:///web-bff.switchyard.svc.cluster.local:8081",
    });
    expect(kubernetesTopology("staging")["web-bff"]).toBe(
      "dns:///web-bff.staging.svc.cluster.local:8081",
    );
  });
});

describe("topologyFromConfig", () => {
  it("defaults to the local profile when nothing is set", () => {
    expect(topologyFromConfig(schema.parse({}))).toEqual(localTopology());
  });

  it("builds the kubernetes profile in the configured namespace", () => {
    const config = schema.parse({ TOPOLOGY_PROFILE: "kubernetes", TOPOLOGY_NAMESPACE: "shop" });
    expect(topologyFromConfig(config)["user-service"]).toBe(
      "dns:///user-service.shop.svc.cluster.local:50051",
    );
  });

  it("applies per-service target overrides on top of the profile", () => {
    const config = schema.parse({
      TOPOLOGY_PROFILE: "kubernetes",
      USER_SERVICE_TARGET: "127.0.0.1:6001",
      WEB_BFF_TARGET: "dns:///bff.example.internal:443",
    });
    const topology = topologyFromConfig(config);
    expect(topology["user-service"]).toBe("127.0.0.1:6001");
    expect(topology["web-bff"]).toBe("dns:///bff.example.internal:443");
    expect(topology["order-service"]).toBe(kubernetesTopology()["order-service"]);
  });

  it("rejects an unknown profile, a target without a port and a bad namespace", () => {
    const result = schema.safeParse({
      TOPOLOGY_PROFILE: "docker",
      ORDER_SERVICE_TARGET: "order-service",
      GATEWAY_TARGET: "http://gateway:8080",
      TOPOLOGY_NAMESPACE: "Bad_Namespace",
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join(".")).sort();
    expect(paths).toEqual([
      "GATEWAY_TARGET",
      "ORDER_SERVICE_TARGET",
      "TOPOLOGY_NAMESPACE",
      "TOPOLOGY_PROFILE",
    ]);
  });

  it("accepts the target forms grpc-js understands", () => {
    for (const target of ["localhost:50051", "[::1]:50051", "ipv4:10.0.0.1:50051,10.0.0.2:50051"]) {
      expect(schema.safeParse({ USER_SERVICE_TARGET: target }).success, target).toBe(true);
    }
  });
});

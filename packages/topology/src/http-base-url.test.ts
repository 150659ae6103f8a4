import { describe, expect, it } from "vitest";
import { toHttpBaseUrl, toHttpBaseUrls } from "./http-base-url.js";
import { kubernetesTopology, localTopology } from "./topology.js";

describe("toHttpBaseUrl", () => {
  it("prefixes a host:port target with http://", () => {
    expect(toHttpBaseUrl(localTopology()["web-bff"])).toBe("http://127.0.0.1:8081");
    expect(toHttpBaseUrl("[::1]:8081")).toBe("http://[::1]:8081");
  });

  it("drops the dns scheme and its optional authority", () => {
    expect(toHttpBaseUrl(kubernetesTopology()["web-bff"])).toBe(
      "http://web-bff.switchyard.svc.cluster.local:8081",
    );
    expect(toHttpBaseUrl("dns://8.8.8.8/bff.example.internal:443")).toBe(
      "http://bff.example.internal:443",
    );
    expect(toHttpBaseUrl("dns:bff.example.internal:8081")).toBe("http://bff.example.internal:8081");
  });

  it("accepts one ipv4 or ipv6 address", () => {
    expect(toHttpBaseUrl("ipv4:10.0.0.7:8081")).toBe("http://10.0.0.7:8081");
    expect(toHttpBaseUrl("ipv6:[::1]:8081")).toBe("http://[::1]:8081");
  });

  it("refuses address lists, unix sockets and targets without a port", () => {
    expect(() => toHttpBaseUrl("ipv4:10.0.0.1:8081,10.0.0.2:8081")).toThrow(/several addresses/);
    expect(() => toHttpBaseUrl("unix:/run/bff.sock")).toThrow(/unix sockets/);
    expect(() => toHttpBaseUrl("web-bff")).toThrow(/expected host:port/);
  });
});

describe("toHttpBaseUrls", () => {
  it("one URL per address of an ipv4/ipv6 list, else the single URL", () => {
    expect(toHttpBaseUrls("ipv4:127.0.0.1:8081,127.0.0.1:8091")).toEqual([
      "http://127.0.0.1:8081",
      "http://127.0.0.1:8091",
    ]);
    expect(toHttpBaseUrls("ipv6:[::1]:8081,[::1]:8091")).toEqual([
      "http://[::1]:8081",
      "http://[::1]:8091",
    ]);
    expect(toHttpBaseUrls("127.0.0.1:8081")).toEqual(["http://127.0.0.1:8081"]);
    expect(toHttpBaseUrls(kubernetesTopology()["web-bff"])).toEqual([
      "http://web-bff.switchyard.svc.cluster.local:8081",
    ]);
    expect(() => toHttpBaseUrls("ipv4:127.0.0.1:8081,web-bff")).toThrow(/expected host:port/);
  });
});

import { startHostMetrics } from "@switchyard/metrics";
import { scrape, sumOf } from "@switchyard/metrics/testing";
import { describe, expect, it } from "vitest";
import { createTieredCache, defaultCacheSettings } from "../src/index.js";

describe("cache counters on a host's /metrics", () => {
  it("reach the scrape although this module was imported before the host registered its MeterProvider", async () => {
    // As in a deployable: the cache package is loaded (above) before the host starts metrics.
    const host = await startHostMetrics({
      service: "cache-metrics-test",
      config: { ADMIN_HOST: "127.0.0.1", ADMIN_PORT: 0 },
      env: {},
    });
    try {
      const cache = createTieredCache<string>({
        name: "metrics-probe",
        settings: { ...defaultCacheSettings, l2Enabled: false },
        load: async (key) => (key === "known" ? "value" : undefined),
      });
      await cache.get("known"); // miss + load
      await cache.get("known"); // hit
      await cache.get("known"); // hit
      const exposition = await scrape(host.metricsUrl);
      const ofProbe = { cache_name: "metrics-probe" };
      expect(sumOf(exposition, "switchyard_cache_hits_total", ofProbe)).toBe(2);
      expect(sumOf(exposition, "switchyard_cache_misses_total", ofProbe)).toBe(1);
      expect(sumOf(exposition, "switchyard_cache_loads_total", ofProbe)).toBe(1);
    } finally {
      await host.shutdown();
    }
  });
});

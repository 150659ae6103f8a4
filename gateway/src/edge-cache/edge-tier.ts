import { connect, type NatsConnection } from "@nats-io/transport-node";
import {
  cacheSettingsFromConfig,
  type EventInvalidation,
  type TieredCache,
} from "@switchyard/cache";
import type { GetDashboardResponse } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import type { User } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import type { Logger } from "@switchyard/logging";
import {
  type DashboardEdgeCache,
  dashboardEdgeCache,
  dashboardEdgeTier,
} from "./dashboard-edge-cache.js";
import type { EdgeCacheConfig } from "./edge-cache-config.js";
import { type UserEdgeCache, userEdgeCache, userEdgeTier } from "./user-edge-cache.js";

/** The gateway's caches of upstream answers, and their one NATS connection. */
export interface EdgeTier {
  users: UserEdgeCache;
  dashboards: DashboardEdgeCache;
  /** Unsubscribes and closes its NATS connection (after HTTP has drained). */
  close(): Promise<void>;
}

const retryConnectMs = 1_000;

/**
 * The edge tier: GetUser and GetDashboard answered by the gateway itself when this caller read
 * them before and nothing changed them since. It connects to NATS in the background and serves
 * nothing from cache until its event subscriptions are in place at the server: a gateway starts
 * and answers while NATS is down, every call then going upstream.
 */
export function edgeTier(config: EdgeCacheConfig, logger: Logger): EdgeTier {
  const settings = cacheSettingsFromConfig(config);
  if (!settings.enabled || config.NATS_URL === undefined) {
    logger.info(
      { cache: settings.enabled ? "no NATS_URL" : "CACHE=off" },
      "edge cache off: every GetUser and GetDashboard goes upstream",
    );
    return off();
  }
  const url = config.NATS_URL;
  type Tier<V> = { cache: TieredCache<V>; invalidation: EventInvalidation };
  let users: Tier<User> | undefined;
  let dashboards: Tier<GetDashboardResponse> | undefined;
  let nats: NatsConnection | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const open = async () => {
    try {
      nats = await connect({
        servers: url.split(",").map((server) => server.trim()),
        name: "gateway edge cache",
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
      });
      if (closed) {
        await nats.close();
        return;
      }
      const userTier = userEdgeTier(nats, config, logger);
      const dashboardTier =
        config.DASHBOARD_CACHE_TTL_MS > 0 ? dashboardEdgeTier(nats, config, logger) : undefined;
      // The server has the subscriptions before the first hit can be served.
      await nats.flush();
      users = userTier;
      dashboards = dashboardTier;
      logger.info(
        { l2: settings.l2Enabled, dashboardTtlMs: config.DASHBOARD_CACHE_TTL_MS },
        "edge cache on (subscribed to user and order events)",
      );
    } catch (err) {
      logger.warn({ err }, "edge cache: NATS unreachable, retrying (every call goes upstream)");
      await nats?.close().catch(() => {});
      nats = undefined;
      if (!closed) retryTimer = setTimeout(open, retryConnectMs).unref();
    }
  };
  void open();

  const dashboardCache = dashboardEdgeCache(() => dashboards?.cache);
  return {
    users: userEdgeCache(
      () => users?.cache,
      (userId) => dashboardCache.changed(userId),
    ),
    dashboards: dashboardCache,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await users?.invalidation.stop();
      await dashboards?.invalidation.stop();
      await nats?.close().catch(() => {});
    },
  };
}

function off(): EdgeTier {
  const none = () => undefined;
  return {
    users: userEdgeCache(none, () => {}),
    dashboards: dashboardEdgeCache(none),
    close: async () => {},
  };
}

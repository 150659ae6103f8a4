import type { NatsConnection } from "@nats-io/transport-node";
import {
  cacheSettingsFromConfig,
  createTieredCache,
  type EventInvalidation,
  type InvalidatingEvent,
  invalidatedBy,
  invalidatedByAll,
  invalidateOnEvents,
  type TieredCache,
} from "@switchyard/cache";
import type { GetDashboardResponse } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import {
  orderCancelled,
  orderPlaced,
  orderStatusChanged,
  userChangeEvents,
} from "@switchyard/events";
import type { EndUser } from "@switchyard/grpc-kit";
import type { Logger } from "@switchyard/logging";
import type { EdgeCacheConfig } from "./edge-cache-config.js";
import { edgeKeyOf, groupOfEdgeKey, userGroupOf } from "./user-edge-cache.js";

/** Metric attribute `cache.name` of the dashboard tier (L1 only: no bucket). */
export const dashboardEdgeCacheName = "gateway.dashboards";

/**
 * The gateway's edge tier for GetDashboard: web-bff's whole answer, kept per (verified caller,
 * customer) like the user tier's entries — a hit is served only to the identity web-bff already
 * answered for that customer. Only complete dashboards are kept: a degraded one (a section
 * missing), a denial or an error goes to the caller and is asked again next time.
 */
export interface DashboardEdgeCache {
  /**
   * The dashboard of `customerId` for this caller: a hit, or `load(true)` (web-bff's
   * GetDashboard, shared with concurrent callers of the key, so not cancelled with one of
   * them). No end user or the tier off: `load(false)`, this call's alone.
   */
  getDashboard(
    customerId: string,
    endUser: EndUser | undefined,
    load: (shared: boolean) => Promise<GetDashboardResponse>,
  ): Promise<GetDashboardResponse>;
  /**
   * After a write through this replica that changes the customer's dashboard (an order placed
   * or cancelled, the profile updated): their dashboards go now, not at the event.
   */
  changed(customerId: string): void;
}

/**
 * What outdates a dashboard: every event about its customer — the profile (user events) and
 * the orders (placed, cancelled, moved on). Each names the customer, the group of every
 * caller's entry of that dashboard.
 */
export const dashboardInvalidations: readonly InvalidatingEvent<unknown>[] = [
  ...invalidatedByAll(userChangeEvents, (event) => userGroupOf(event.userId)),
  invalidatedBy({ type: orderPlaced, keyOf: (event) => userGroupOf(event.customerId) }),
  invalidatedBy({ type: orderCancelled, keyOf: (event) => userGroupOf(event.customerId) }),
  invalidatedBy({ type: orderStatusChanged, keyOf: (event) => userGroupOf(event.customerId) }),
] as readonly InvalidatingEvent<unknown>[];

/**
 * The dashboard tier on an open NATS connection: L1 only (a dashboard is per caller and cheap
 * to rebuild; a KV round trip would cost most of what a hit saves), fresh for
 * `DASHBOARD_CACHE_TTL_MS` with no stale window, dropped on every replica by the customer's
 * events — and dropped again `DASHBOARD_CACHE_SETTLE_MS` later: web-bff's profile cache and
 * order-service's statistics read model hear of the same change a little after this replica,
 * and a dashboard reloaded from them in between would otherwise be kept until the TTL ends.
 * The TTL bounds whatever both drops miss (a read model later than the settle delay, an event
 * lost while disconnected).
 */
export function dashboardEdgeTier(
  nats: NatsConnection,
  config: EdgeCacheConfig,
  logger: Logger,
): { cache: SettlingCache<GetDashboardResponse>; invalidation: EventInvalidation } {
  const settings = cacheSettingsFromConfig(config);
  const cache = settling(
    createTieredCache<GetDashboardResponse>({
      name: dashboardEdgeCacheName,
      settings: {
        ...settings,
        l2Enabled: false,
        ttlMs: config.DASHBOARD_CACHE_TTL_MS,
        staleMs: 0,
      },
      load: (_key, _signal, load) =>
        (load as (shared: boolean) => Promise<GetDashboardResponse>)(true),
      groupOf: groupOfEdgeKey,
      keep: (dashboard) => dashboard.degradedSections.length === 0,
    }),
    config.DASHBOARD_CACHE_SETTLE_MS,
  );
  const invalidation = invalidateOnEvents({
    nats,
    namespace: { prefix: config.EVENTS_NAMESPACE },
    cache,
    events: dashboardInvalidations,
    target: "group",
    onError: (err, subject) =>
      logger.warn({ err, subject }, "edge dashboards cache: undecodable event ignored"),
  });
  return {
    cache,
    invalidation: {
      async stop() {
        await invalidation.stop();
        cache.stopSettling();
      },
    },
  };
}

/** A cache whose every group drop is repeated `settleMs` later, for kept entries only. */
export type SettlingCache<V> = TieredCache<V> & { stopSettling(): void };

export function settling<V>(cache: TieredCache<V>, settleMs: number): SettlingCache<V> {
  const pending = new Set<NodeJS.Timeout>();
  const dropGroup = (group: string) => {
    cache.invalidateGroupLocal?.(group);
    if (settleMs === 0) return;
    // The second drop leaves loads in flight alone: they started well after the change (a
    // load takes milliseconds, the delay is hundreds), so they read caught-up sources; only
    // entries kept before then go. (Aborting them cost a third more loads in the demo, where
    // every dashboard follows a write.)
    const timer = setTimeout(() => {
      pending.delete(timer);
      cache.dropGroupEntriesLocal?.(group);
    }, settleMs);
    timer.unref();
    pending.add(timer);
  };
  return {
    ...cache,
    // No L2 and no versions here: dropping a group is all there is to do.
    invalidateGroup: async (group) => dropGroup(group),
    invalidateGroupLocal: dropGroup,
    stopSettling() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}

/**
 * GetDashboard through the dashboard tier once it exists (`current()`; undefined while the
 * edge tier is off, still connecting, or DASHBOARD_CACHE_TTL_MS is 0: every call goes to
 * web-bff).
 */
export function dashboardEdgeCache(
  current: () => TieredCache<GetDashboardResponse> | undefined,
): DashboardEdgeCache {
  return {
    async getDashboard(customerId, endUser, load) {
      const cache = current();
      if (cache === undefined || endUser === undefined) return load(false);
      // Whose dashboard, as web-bff decides it: an empty customer_id is the caller's own.
      const customer = customerId === "" ? endUser.subject : customerId;
      return (await cache.get(edgeKeyOf(customer, endUser), load)) ?? load(false);
    },
    changed(customerId) {
      current()?.invalidateGroupLocal?.(userGroupOf(customerId));
    },
  };
}

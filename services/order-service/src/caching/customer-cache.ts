import type { NatsConnection } from "@nats-io/transport-node";
import {
  type CacheConfig,
  createServiceCache,
  type EventInvalidation,
  invalidatedByAll,
  type TieredCache,
} from "@switchyard/cache";
import { type EventNamespace, userChangeEvents } from "@switchyard/events";
import type { Logger } from "@switchyard/logging";
import type {
  CustomerDirectory,
  VersionedCustomer,
  VersionedCustomerDirectory,
} from "../domain/customer.js";
import { versionedCustomerCodec } from "./versioned-customer-codec.js";

/** Metric attribute `cache.name`; its L2 bucket is `cache_order-service_customers`. */
export const customerCacheName = "order-service.customers";

/** What a service context gives the customers cache (the host's context has all of it). */
export interface CustomerCacheContext {
  readonly config: CacheConfig;
  readonly nats: NatsConnection;
  readonly eventsNamespace: EventNamespace;
  readonly logger: Logger;
}

export interface CustomerCache {
  cache: TieredCache<VersionedCustomer>;
  /** The subscription to user events (background work of the service). */
  invalidation: EventInvalidation;
  /** The CustomerDirectory PlaceOrder uses: the cache in front of `source`. */
  directory: CustomerDirectory;
}

/**
 * The customers cache of one order-service replica, in front of the ACL (the event-fed
 * projection, then user-service for customers not projected yet). Every user event removes
 * its customer on every replica and raises the version floor: the projection applies the same
 * event a moment later (one durable consumer for all replicas), and until it has, what it
 * answers is older than the floor — handed to that one caller, never cached. So a suspension
 * is never cached away: PlaceOrder sees it as soon as the projection (or user-service) does.
 */
export function createCustomerCache(
  context: CustomerCacheContext,
  source: VersionedCustomerDirectory,
): CustomerCache {
  const { cache, invalidation } = createServiceCache<VersionedCustomer>(context, {
    name: customerCacheName,
    label: "customers",
    load: (customerId) => source.findVersionedCustomer(customerId),
    versionOf: (customer) => customer.sourceVersion,
    codec: versionedCustomerCodec,
    events: invalidatedByAll(
      userChangeEvents,
      (event) => event.userId,
      (event) => event.userVersion,
    ),
  });
  return {
    cache,
    invalidation,
    directory: {
      async findCustomer(customerId) {
        return (await cache.get(customerId))?.customer;
      },
    },
  };
}

const perContext = new WeakMap<CustomerCacheContext, CustomerCache>();

/**
 * THE customers cache of a running service: made once per service context, so the
 * `background` hook (the subscription) and the gRPC handlers share it.
 */
export function customerCacheOf(
  context: CustomerCacheContext,
  source: () => VersionedCustomerDirectory,
): CustomerCache {
  let made = perContext.get(context);
  if (made === undefined) {
    made = createCustomerCache(context, source());
    perContext.set(context, made);
  }
  return made;
}

/** The customers cache a running service made (tests read its `stats()`), if any. */
export function runningCustomerCache(context: object): CustomerCache | undefined {
  return perContext.get(context as CustomerCacheContext);
}

import { createHash } from "node:crypto";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  createServiceCache,
  type EventInvalidation,
  invalidatedByAll,
  type TieredCache,
} from "@switchyard/cache";
import { User } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { userChangeEvents } from "@switchyard/events";
import type { EndUser } from "@switchyard/grpc-kit";
import type { Logger } from "@switchyard/logging";
import type { EdgeCacheConfig } from "./edge-cache-config.js";

/** Metric attribute `cache.name`; its L2 bucket is `cache_gateway_users` (namespace-prefixed). */
export const userEdgeCacheName = "gateway.users";

/**
 * The gateway's edge tier for GetUser (v1 and v2): user-service's answer (the internal User,
 * before version mapping), kept per (verified caller, user) — a hit is served only to the very
 * identity (subject AND scopes, what user-service's ownership check reads) that user-service
 * already answered for that user. Only answers are kept: denials, not-found and errors go to
 * the caller and are asked again next time.
 */
export interface UserEdgeCache {
  /**
   * The user for this caller: a hit when this caller read it before (and nothing changed it
   * since), else `load(true)` (the upstream call, shared with concurrent callers of the key and
   * run in the background on a stale hit: it must not be cancelled with one caller), kept for
   * the next time. No end user (cannot happen on GetUser, which needs a token) or the tier
   * off: always `load(false)`, this call's alone.
   */
  getUser(
    userId: string,
    endUser: EndUser | undefined,
    load: (shared: boolean) => Promise<User>,
  ): Promise<User>;
  /**
   * After an UpdateUser through this replica: the user's entries — and their dashboards — go
   * now, not at the event.
   */
  changed(userId: string, version: bigint): Promise<void>;
}

const userCodec = {
  encode: (user: User) => User.encode(user).finish(),
  decode: (bytes: Uint8Array) => User.decode(bytes),
};

// A user id that is one KV-key/NATS-subject token stays as it is (the group of its entries);
// anything else — ids come from requests — is hashed ("=" never occurs in the first kind).
const plainToken = /^[-_a-zA-Z0-9]{1,100}$/;
const hash = (text: string) => createHash("sha256").update(text).digest("base64url");

/** The group of one user's entries: every entry of it is removed by that user's events. */
export function userGroupOf(userId: string): string {
  return plainToken.test(userId) ? userId : `=${hash(userId).slice(0, 43)}`;
}

/**
 * The key of (caller, user): "<user group>.<hash of the caller's subject and scopes>". Hashed,
 * so the shared tier's keys name no caller; the scopes are in it because user-service's
 * ownership check reads them (an admin's entry is never served to the same subject without
 * the admin scope).
 */
export function edgeKeyOf(userId: string, endUser: EndUser): string {
  const scopes = [...endUser.scopes].sort().join(" ");
  return `${userGroupOf(userId)}.${hash(`${endUser.subject}\n${scopes}`).slice(0, 43)}`;
}

/** The group of a key made by `edgeKeyOf`. */
export const groupOfEdgeKey = (key: string) => key.slice(0, key.indexOf("."));

/**
 * The user tier on an open NATS connection, made the way every service makes its cache
 * (`createServiceCache`: L1 in process, L2 in NATS KV, invalidation by `userChangeEvents` on
 * every replica), keyed by (caller, user) and invalidated per user (a key group).
 */
export function userEdgeTier(
  nats: NatsConnection,
  config: EdgeCacheConfig,
  logger: Logger,
): { cache: TieredCache<User>; invalidation: EventInvalidation } {
  return createServiceCache<User>(
    { config, nats, eventsNamespace: { prefix: config.EVENTS_NAMESPACE }, logger },
    {
      name: userEdgeCacheName,
      label: "edge users",
      load: (_key, load) => (load as (shared: boolean) => Promise<User>)(true),
      versionOf: (user) => user.version,
      codec: userCodec,
      groupOf: groupOfEdgeKey,
      // The event names the user: its group, i.e. that user's entries for every caller.
      events: invalidatedByAll(
        userChangeEvents,
        (event) => userGroupOf(event.userId),
        (event) => event.userVersion,
      ),
    },
  );
}

/**
 * GetUser through the user tier once it exists (`current()`; undefined while the edge tier
 * is off or still connecting: every call goes upstream). `changed` also drops the user's
 * dashboards (`alsoChanged`): the profile is a section of them.
 */
export function userEdgeCache(
  current: () => TieredCache<User> | undefined,
  alsoChanged: (userId: string) => void,
): UserEdgeCache {
  return {
    async getUser(userId, endUser, load) {
      const cache = current();
      if (cache === undefined || endUser === undefined) return load(false);
      const user = await cache.get(edgeKeyOf(userId, endUser), load);
      // The loader never answers "not found" (user-service's NOT_FOUND is an error, not kept).
      if (user === undefined) return load(false);
      return user;
    },
    async changed(userId, version) {
      alsoChanged(userId);
      await current()?.invalidateGroup?.(userGroupOf(userId), version);
    },
  };
}

import * as grpc from "@grpc/grpc-js";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  type CacheConfig,
  cacheSettingsFromConfig,
  createServiceCache,
  createTieredCache,
  type EventInvalidation,
  invalidatedByAll,
  stalenessBoundMs,
  type TieredCache,
} from "@switchyard/cache";
import { callUpstream } from "@switchyard/connect-host";
import {
  User,
  type UserServiceClient,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { connectNats, type EventNamespace, userChangeEvents } from "@switchyard/events";
import { type EndUser, endUserMetadata } from "@switchyard/grpc-kit";
import type { Logger } from "@switchyard/logging";

/** Metric attribute `cache.name` of the profile cache (and the name of its L2 bucket, if on). */
export const profileCacheName = "web-bff.profiles";

/**
 * The dashboard's profile section, cached: user-service's GetUser answer per (end user, user
 * id). An entry is only ever served to the end user it was loaded for — the same subject with
 * the same scopes — never to another caller, whatever user-service would have let them see.
 */
export interface ProfileCache {
  /** The user as `endUser` may see them (undefined: no such user). Rejects as GetUser does. */
  get(userId: string, endUser: EndUser, deadlineMs: number): Promise<User | undefined>;
  /** The tiered cache once it exists (undefined while caching waits for NATS). */
  current(): TieredCache<User> | undefined;
  /** How the cache runs: "events" (NATS), "l1-only" (no NATS_URL), "waiting-for-nats", "off". */
  mode(): ProfileCacheMode;
  close(): Promise<void>;
}

export type ProfileCacheMode = "events" | "l1-only" | "waiting-for-nats" | "off";

export interface ProfileCacheOptions {
  users: UserServiceClient;
  config: CacheConfig & {
    NATS_URL?: string | undefined;
    EVENTS_NAMESPACE: string;
    PROFILE_CACHE_TTL_WITHOUT_NATS_MS: number;
    DASHBOARD_BUDGET_MS: number;
  };
  logger: Logger;
}

const retryNatsAfterMs = 2_000;

/**
 * The key of one (end user, user id): `<user id>.<who asked>`, the user id being the key's group
 * (an event names a user: it removes every key of the group). Who asked is the subject AND the
 * scopes (base64url, so the key stays a NATS KV key): an entry loaded with the admin scope is
 * never an answer for the same subject without it.
 */
export function profileKey(userId: string, endUser: EndUser): string {
  const caller = `${endUser.subject}\n${[...endUser.scopes].sort().join(" ")}`;
  return `${userId}.${Buffer.from(caller).toString("base64url")}`;
}

/** The user id of a key: its group. */
export function profileGroupOf(key: string): string {
  return key.slice(0, key.indexOf("."));
}

function endUserOfKey(key: string): { userId: string; endUser: EndUser } {
  const dot = key.indexOf(".");
  const [subject = "", scopes = ""] = Buffer.from(key.slice(dot + 1), "base64url")
    .toString()
    .split("\n");
  return {
    userId: key.slice(0, dot),
    endUser: { subject, scopes: scopes === "" ? [] : scopes.split(" ") },
  };
}

/** What a read passes to the load it may start: the caller's time left. */
interface LoadContext {
  deadlineMs: number;
}

const userCodec = {
  encode: (user: User) => User.encode(user).finish(),
  decode: (bytes: Uint8Array) => User.decode(bytes),
};

/**
 * The profile cache of one web-bff replica, built with `createServiceCache` like the services'
 * caches:
 * - NATS_URL set: L1 (and L2 only if CACHE_L2=on; off by default here), every user event
 *   (registered, updated, suspended) removes every entry of that user on EVERY replica. Until
 *   the first connection to NATS succeeds the section is not cached at all (no entry can then
 *   outlive an event this replica did not hear).
 * - NATS_URL unset: L1 only, fresh for at most PROFILE_CACHE_TTL_WITHOUT_NATS_MS, no stale
 *   window: nothing tells this replica about a change, so that TTL is the staleness bound.
 * - CACHE=off: every dashboard asks user-service.
 */
export function createProfileCache(options: ProfileCacheOptions): ProfileCache {
  const { users, config, logger } = options;
  const settings = cacheSettingsFromConfig(config);
  // One shared load per key, whoever of the waiting callers started it (its deadline is theirs;
  // every caller still gives up at its own), cancelled by nobody: a caller going away does not
  // fail the others.
  const load = async (key: string, context: unknown): Promise<User | undefined> => {
    const { userId, endUser } = endUserOfKey(key);
    const deadlineMs =
      (context as LoadContext | undefined)?.deadlineMs ?? config.DASHBOARD_BUDGET_MS;
    try {
      const { user } = await callUpstream(
        users.getUser.bind(users),
        { userId },
        { deadline: Date.now() + deadlineMs, metadata: endUserMetadata(endUser) },
      );
      return user;
    } catch (error) {
      if ((error as { code?: unknown }).code === grpc.status.NOT_FOUND) return undefined;
      throw error;
    }
  };

  let cache: TieredCache<User> | undefined;
  let mode: ProfileCacheMode;
  let nats: NatsConnection | undefined;
  let invalidation: EventInvalidation | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  if (!settings.enabled) {
    mode = "off";
    logger.info({ cache: profileCacheName }, "profile cache off (CACHE=off)");
  } else if (config.NATS_URL === undefined) {
    mode = "l1-only";
    const ttlMs = Math.min(settings.ttlMs, config.PROFILE_CACHE_TTL_WITHOUT_NATS_MS);
    cache = createTieredCache<User>({
      name: profileCacheName,
      settings: {
        ...settings,
        l2Enabled: false,
        ttlMs,
        staleMs: 0,
        negativeTtlMs: Math.min(settings.negativeTtlMs, ttlMs),
      },
      load: (key, _signal, context) => load(key, context),
      versionOf: (user) => user.version,
      groupOf: profileGroupOf,
    });
    logger.warn(
      { cache: profileCacheName, ttlMs, stalenessBoundMs: ttlMs },
      `profile cache: L1 only, NOT invalidated by events (NATS_URL not set): a profile may be up to ${ttlMs} ms stale`,
    );
  } else {
    mode = "waiting-for-nats";
    const url = config.NATS_URL;
    const namespace: EventNamespace = { prefix: config.EVENTS_NAMESPACE };
    const start = async () => {
      retry = undefined;
      let connection: NatsConnection;
      try {
        connection = await connectNats({ url, name: "web-bff" });
      } catch (err) {
        if (closed) return;
        logger.warn(
          { err, retryInMs: retryNatsAfterMs },
          "profile cache: NATS unreachable, profiles uncached until it answers",
        );
        retry = setTimeout(() => void start(), retryNatsAfterMs);
        return;
      }
      if (closed) {
        await connection.close();
        return;
      }
      nats = connection;
      // The subscriptions exist before the first entry: no entry predates the events.
      const made = createServiceCache<User>(
        { config, nats: connection, eventsNamespace: namespace, logger },
        {
          name: profileCacheName,
          label: "profiles",
          load,
          versionOf: (user) => user.version,
          codec: userCodec,
          // Every user event removes every caller's entry of that user (its group).
          groupOf: profileGroupOf,
          events: invalidatedByAll(
            userChangeEvents,
            (event) => event.userId,
            (event) => event.userVersion,
          ),
        },
      );
      invalidation = made.invalidation;
      cache = made.cache;
      mode = "events";
      logger.info(
        {
          cache: profileCacheName,
          l2: settings.l2Enabled,
          ttlMs: settings.ttlMs,
          staleMs: settings.staleMs,
          stalenessBoundMs: stalenessBoundMs(settings),
        },
        "profile cache on: invalidated by user events on every replica; stalenessBoundMs only if events are lost",
      );
    };
    logger.info(
      { cache: profileCacheName },
      "profile cache: connecting to NATS (uncached until then)",
    );
    void start();
  }

  return {
    get(userId, endUser, deadlineMs) {
      const key = profileKey(userId, endUser);
      const context: LoadContext = { deadlineMs };
      return cache === undefined ? load(key, context) : cache.get(key, context);
    },
    current: () => cache,
    mode: () => mode,
    async close() {
      closed = true;
      clearTimeout(retry);
      await invalidation?.stop();
      await nats?.drain().catch(() => nats?.close());
    },
  };
}

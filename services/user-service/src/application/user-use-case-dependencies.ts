import type { TieredCache } from "@switchyard/cache";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { Clock } from "../domain/clock.js";
import type { User } from "../domain/user.js";

/** What every user-service use case is given (one factory call in the declaration). */
export interface UserUseCaseDependencies {
  db: PostgresJsDatabase;
  clock: Clock;
  /** How long a RegisterUser idempotency key replays its first response. */
  idempotencyTtlMs: number;
  /**
   * GetUser's read-through cache (L1 + NATS KV, `src/caching/user-cache.ts`); every write
   * invalidates its user here right after the commit.
   */
  userCache: TieredCache<User>;
  /** The id a registration gets (a random UUID v4 outside tests). */
  newUserId: () => string;
}

/** Who a command comes from (the calling workload, end user, idempotency key, trace). */
export type { Invocation } from "@switchyard/grpc-kit";

import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { CustomerDirectory } from "../domain/customer.js";

/** What every order-service use case is given (one factory call in the declaration). */
export interface OrderUseCaseDependencies {
  db: PostgresJsDatabase;
  /** Who may order: the port, not user-service itself (see the README on the ACL). */
  customers: CustomerDirectory;
  /** How long a PlaceOrder idempotency key replays its first response. */
  idempotencyTtlMs: number;
}

/** Who a command comes from (the calling workload, end user, idempotency key, trace). */
export type { Invocation } from "@switchyard/grpc-kit";

import type {
  UserRegistered,
  UserSuspended,
  UserUpdated,
} from "@switchyard/contracts/grpc/switchyard/user/events/v1/user_events";
import { userEventsStream, userRegistered, userSuspended, userUpdated } from "@switchyard/events";
import { type ConsumedEvent, type InboxDatabase, isEventOf } from "@switchyard/inbox";
import { sql } from "drizzle-orm";
import type { Customer } from "../domain/customer.js";
import type { Projection } from "./projection.js";
import { customers } from "./projection-tables.js";

/**
 * What one user event means to the orders context: which customer, at which source version,
 * and the aspects it sets (absent = the event says nothing about it).
 */
export interface CustomerChange {
  customerId: string;
  sourceVersion: bigint;
  displayName?: string;
  standing?: Customer["standing"];
}

/**
 * The anti-corruption layer's asynchronous half: translates user-service's events (User,
 * user_id, given/family name, suspension) into the orders context's vocabulary. The only place
 * besides the synchronous adapter that knows user-service's language.
 */
export function customerFromUserEvent(event: ConsumedEvent): CustomerChange {
  if (isEventOf(event, userRegistered)) {
    const message: UserRegistered = event.message;
    return {
      customerId: message.userId,
      sourceVersion: message.userVersion,
      displayName: displayNameOf(message.givenName, message.familyName),
      standing: "active",
    };
  }
  if (isEventOf(event, userUpdated)) {
    const message: UserUpdated = event.message;
    return {
      customerId: message.userId,
      sourceVersion: message.userVersion,
      displayName: displayNameOf(message.givenName, message.familyName),
    };
  }
  if (isEventOf(event, userSuspended)) {
    const message: UserSuspended = event.message;
    return {
      customerId: message.userId,
      sourceVersion: message.userVersion,
      standing: "suspended",
    };
  }
  throw new Error(`the customers projection does not handle ${event.type.typeName}`);
}

function displayNameOf(givenName: string, familyName: string): string {
  return [givenName, familyName]
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .join(" ");
}

/**
 * Applies a change with one upsert. Each aspect is overwritten only by a HIGHER user version
 * than the one that last set it, so replays, duplicates and out-of-order deliveries all end in
 * the state of the newest events. A customer first seen through an update (its registration
 * still in flight) starts active at version 0: any suspension has a higher version and wins.
 */
export async function applyCustomerChange(
  tx: InboxDatabase,
  change: CustomerChange,
): Promise<void> {
  if (change.sourceVersion < 1n) {
    throw new Error(`user event for ${change.customerId} has version ${change.sourceVersion}`);
  }
  const nameVersion = change.displayName === undefined ? 0n : change.sourceVersion;
  const standingVersion = change.standing === undefined ? 0n : change.sourceVersion;
  await tx
    .insert(customers)
    .values({
      customerId: change.customerId,
      displayName: change.displayName ?? "",
      displayNameVersion: nameVersion,
      standing: change.standing ?? "active",
      standingVersion,
      sourceVersion: change.sourceVersion,
    })
    .onConflictDoUpdate({
      target: customers.customerId,
      set: {
        displayName: sql`case when excluded.display_name_version > ${customers.displayNameVersion} then excluded.display_name else ${customers.displayName} end`,
        displayNameVersion: sql`greatest(excluded.display_name_version, ${customers.displayNameVersion})`,
        standing: sql`case when excluded.standing_version > ${customers.standingVersion} then excluded.standing else ${customers.standing} end`,
        standingVersion: sql`greatest(excluded.standing_version, ${customers.standingVersion})`,
        sourceVersion: sql`greatest(excluded.source_version, ${customers.sourceVersion})`,
      },
    });
}

/** The `customers` projection: user events → customers, consumed by order-service. */
export const customerProjection: Projection = {
  durableName: "order-service-customers",
  stream: userEventsStream,
  eventTypes: [userRegistered, userUpdated, userSuspended],
  handle: (event, tx) => applyCustomerChange(tx, customerFromUserEvent(event)),
  async reset(tx) {
    await tx.delete(customers);
  },
};

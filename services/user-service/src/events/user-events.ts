import type {
  UserRegistered,
  UserSuspended,
  UserUpdated,
} from "@switchyard/contracts/grpc/switchyard/user/events/v1/user_events";
import { protoTimestamp } from "@switchyard/events";
import type { User } from "../domain/user.js";

// The integration events published for a user change, built from the user as it was stored.
// Event ids are left empty: appendToOutbox assigns them. Occurrence time is the stored
// updateTime, so the event and the row agree on when it happened.

/** UserRegistered for a just-inserted user. */
export function userRegisteredEvent(user: User): UserRegistered {
  return {
    eventId: "",
    occurTime: protoTimestamp(user.updateTime),
    userId: user.userId,
    userVersion: user.version,
    email: user.email,
    givenName: user.givenName,
    familyName: user.familyName,
  };
}

/** UserUpdated for a user whose profile just changed. */
export function userUpdatedEvent(user: User): UserUpdated {
  return {
    eventId: "",
    occurTime: protoTimestamp(user.updateTime),
    userId: user.userId,
    userVersion: user.version,
    givenName: user.givenName,
    familyName: user.familyName,
  };
}

/** UserSuspended for a just-suspended user. */
export function userSuspendedEvent(user: User): UserSuspended {
  return {
    eventId: "",
    occurTime: protoTimestamp(user.updateTime),
    userId: user.userId,
    userVersion: user.version,
    reason: user.suspendReason ?? "",
  };
}

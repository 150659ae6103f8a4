import { randomUUID } from "node:crypto";
import { MessageProviderPact } from "@pact-foundation/pact";
import { userRegistered, userSuspended, userUpdated } from "@switchyard/events";
import {
  type User,
  userRegisteredEvent,
  userSuspendedEvent,
  userUpdatedEvent,
} from "@switchyard/user-service/testing";
import { pactFile } from "../pact-files.js";
import { messageProvider, outboxMessage } from "./provider-message.js";

/** The event builders user-service's use cases call; a test may swap one for a broken one. */
export const userEventBuilders = { userRegisteredEvent, userUpdatedEvent, userSuspendedEvent };
export type UserEventBuilders = typeof userEventBuilders;

/** A provider state's parameters, as Pact hands them to a state handler. */
type Params = { [name: string]: string };

const service = "user-service";

/**
 * Verifies user-service against every pact of a consumer of its events: each provider state
 * makes the user a use case would have stored, each message comes out of the real builder and
 * the outbox path (`outboxMessage`). Resolves with Pact's result JSON; rejects when a consumer's
 * expectation is not met (the error's message is that JSON, naming each mismatch).
 */
export function verifyUserServiceEvents(builders: UserEventBuilders = userEventBuilders) {
  let user: User = storedUser({});
  const states = {
    "a user registered": async (_state: string, params: Params = {}) => {
      user = storedUser({ ...names(params), version: 1n });
    },
    "a user renamed": async (_state: string, params: Params = {}) => {
      user = storedUser({ ...names(params), version: 2n });
    },
    "a user suspended": async (_state: string, params: Params = {}) => {
      const reason = typeof params.reason === "string" ? params.reason : "suspended";
      user = storedUser({ version: 3n, status: "suspended", suspendReason: reason });
    },
  };
  return new MessageProviderPact({
    provider: service,
    pactUrls: [pactFile("order-service-customers", service)],
    logLevel: "error",
    stateHandlers: states,
    messageProviders: {
      "a UserRegistered event": messageProvider(() =>
        outboxMessage(userRegistered, builders.userRegisteredEvent(user), { service }),
      ),
      "a UserUpdated event": messageProvider(() =>
        outboxMessage(userUpdated, builders.userUpdatedEvent(user), { service }),
      ),
      "a UserSuspended event": messageProvider(() =>
        outboxMessage(userSuspended, builders.userSuspendedEvent(user), { service }),
      ),
    },
  }).verify();
}

function names(params: Params): Pick<User, "givenName" | "familyName"> {
  return {
    givenName: typeof params.givenName === "string" ? params.givenName : "Ada",
    familyName: typeof params.familyName === "string" ? params.familyName : "Lovelace",
  };
}

/** A user as user-service's repository returns it after the use case's write. */
function storedUser(overrides: Partial<User>): User {
  const now = new Date();
  return {
    userId: randomUUID(),
    email: "ada@example.com",
    givenName: "Ada",
    familyName: "Lovelace",
    status: "active",
    suspendReason: null,
    version: 1n,
    createTime: now,
    updateTime: now,
    ...overrides,
  };
}

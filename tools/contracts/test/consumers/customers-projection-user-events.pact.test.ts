import { MatchersV3 } from "@pact-foundation/pact";
import { userRegistered, userSuspended, userUpdated } from "@switchyard/events";
import { customerProjection } from "@switchyard/order-service/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cloudEventsMetadata,
  positiveInt64Like,
  uuidLike,
} from "../../src/events/event-matchers.js";
import {
  type ProjectionUnderTest,
  startProjectionUnderTest,
} from "../../src/events/projection-under-test.js";
import { freshPact } from "../../src/pact-files.js";

// Consumer: order-service's customers projection (the anti-corruption layer's event-fed half).
// It declares only what it reads: user id, version, the two name parts; not the email.
const pact = freshPact("order-service-customers", "user-service");
const source = "switchyard/user-service";
let projection: ProjectionUnderTest;

beforeAll(async () => {
  projection = await startProjectionUnderTest(customerProjection);
});
afterAll(async () => {
  await projection?.close();
});

async function customerRow(customerId: string) {
  const rows = await projection.database.sql`
    select display_name, standing, source_version from customers where customer_id = ${customerId}`;
  return rows[0];
}

describe("order-service customers ← user-service events", () => {
  it("UserRegistered: a new active customer with the user's name", async () => {
    const userId = "0b8f5a52-6a3e-4d33-9a51-2f7c1d9e4a10";
    await pact
      .addAsynchronousInteraction()
      .given("a user registered", { givenName: "Ada", familyName: "Lovelace" })
      .expectsToReceive("a UserRegistered event", (message) =>
        message
          .withJSONContent({
            userId: uuidLike(userId),
            userVersion: positiveInt64Like("1"),
            givenName: MatchersV3.like("Ada"),
            familyName: MatchersV3.like("Lovelace"),
          })
          .withMetadata(
            cloudEventsMetadata(userRegistered, {
              source,
              eventId: "7a1e0c55-0f4b-4b8e-9d0a-6c1f2e3d4b01",
            }),
          ),
      )
      .executeTest((message) => projection.deliver(message));
    expect(await customerRow(userId)).toEqual({
      display_name: "Ada Lovelace",
      standing: "active",
      source_version: "1",
    });
  });

  it("UserUpdated: the customer's display name follows the user's new name", async () => {
    const userId = "1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5";
    await pact
      .addAsynchronousInteraction()
      .given("a user renamed", { givenName: "Grace", familyName: "Hopper" })
      .expectsToReceive("a UserUpdated event", (message) =>
        message
          .withJSONContent({
            userId: uuidLike(userId),
            userVersion: positiveInt64Like("2"),
            givenName: MatchersV3.like("Grace"),
            familyName: MatchersV3.like("Hopper"),
          })
          .withMetadata(
            cloudEventsMetadata(userUpdated, {
              source,
              eventId: "7a1e0c55-0f4b-4b8e-9d0a-6c1f2e3d4b02",
            }),
          ),
      )
      .executeTest((message) => projection.deliver(message));
    expect(await customerRow(userId)).toMatchObject({
      display_name: "Grace Hopper",
      source_version: "2",
    });
  });

  it("UserSuspended: the customer's standing becomes suspended", async () => {
    const userId = "2d3e4f5a-6b7c-4d8e-9fa0-b1c2d3e4f5a6";
    await pact
      .addAsynchronousInteraction()
      .given("a user suspended", { reason: "chargeback" })
      .expectsToReceive("a UserSuspended event", (message) =>
        message
          .withJSONContent({ userId: uuidLike(userId), userVersion: positiveInt64Like("3") })
          .withMetadata(
            cloudEventsMetadata(userSuspended, {
              source,
              eventId: "7a1e0c55-0f4b-4b8e-9d0a-6c1f2e3d4b03",
            }),
          ),
      )
      .executeTest((message) => projection.deliver(message));
    expect(await customerRow(userId)).toMatchObject({ standing: "suspended", source_version: "3" });
  });
});

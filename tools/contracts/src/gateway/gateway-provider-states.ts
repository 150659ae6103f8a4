import { randomUUID } from "node:crypto";
import type { VerifierOptions } from "@pact-foundation/pact";
import { type GatewayStack, publicCall } from "./gateway-stack.js";

/**
 * The provider states the public API's consumers ask for. Each creates its data THROUGH the
 * public API of the real stack (so the data is what a real client would have made) and hands the
 * consumer's request the values it could not know in advance: ids and an access token (Pact's
 * `fromProviderState`).
 */
export function gatewayProviderStates(
  stack: GatewayStack,
): NonNullable<VerifierOptions["stateHandlers"]> {
  const signUp = async () => {
    const { user } = await publicCall<{ user: { userId: string } }>(
      stack,
      "switchyard.edge.v2.UserService/RegisterUser",
      { email: `contract.${randomUUID()}@example.com`, givenName: "Ada", familyName: "Lovelace" },
    );
    return { customerId: user.userId, accessToken: await stack.tokens.token(user.userId) };
  };
  return {
    // The one state that needs the provider's database: the email must be free even when an
    // earlier verification on this stack registered it.
    "no user has signed up with the email": async (params?: unknown) => {
      const email = (params as { email?: unknown } | undefined)?.email;
      if (typeof email !== "string") throw new Error("the state needs an email parameter");
      await stack.backends.userService.context.database
        .sql`delete from users where email = ${email}`;
      return {};
    },
    "a signed-up customer": signUp,
    "a customer with an open order": async () => {
      const customer = await signUp();
      const { order } = await publicCall<{ order: { orderId: string } }>(
        stack,
        "switchyard.edge.v2.OrderService/PlaceOrder",
        {
          customerId: customer.customerId,
          lines: [
            {
              sku: "tea-sencha",
              quantity: 2,
              unitPrice: { currencyCode: "EUR", units: "12", nanos: 500_000_000 },
            },
          ],
        },
        { authorization: `Bearer ${customer.accessToken}`, "idempotency-key": randomUUID() },
      );
      // The dashboard's statistics are a read model fed by events: wait until it has the order.
      await stack.backends.waitForProjections();
      return { ...customer, orderId: order.orderId };
    },
  };
}

import { MatchersV3 } from "@pact-foundation/pact";

const uuidPattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

/** Example values a provider state replaces (`fromProviderState`) in the consumer's request. */
export const examples = {
  customerId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  orderId: "8b7c6d5e-4f3a-4b2c-9d1e-0f9a8b7c6d5e",
  accessToken: "example-access-token",
};

/** Pact's provider-state expression `${name}`: a value the provider state returns. */
const fromState = (expression: string, example: string) =>
  MatchersV3.fromProviderState(expression.replace(/\{(\w+)\}/g, "$${$1}"), example);

/** The request's Authorization: a token the provider state minted for its customer. */
export const bearerFromState = fromState("Bearer {accessToken}", `Bearer ${examples.accessToken}`);
export const customerIdFromState = fromState("{customerId}", examples.customerId);
export const orderIdFromState = fromState("{orderId}", examples.orderId);

export const uuidLike = (example: string) => MatchersV3.regex(uuidPattern, example);
/** google.protobuf.Timestamp in JSON. */
export const timestampLike = (example: string) =>
  MatchersV3.regex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$", example);
/** A v2 Money: currency and whole units as an int64 string (nanos only when non-zero). */
export const moneyLike = (units: string) => ({
  currencyCode: MatchersV3.regex("^[A-Z]{3}$", "EUR"),
  units: MatchersV3.regex("^-?[0-9]+$", units),
});

/** The `message` query parameter of a Connect GET of GetUser for the state's customer. */
export const getMessageFromState = fromState(
  '{"userId":"{customerId}"}',
  JSON.stringify({ userId: examples.customerId }),
);

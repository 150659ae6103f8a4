import { MatchersV3 } from "@pact-foundation/pact";
import type { AnyEventType } from "@switchyard/events";

const uuidPattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
/** RFC 3339 in UTC with milliseconds, as `Date.toISOString` and the protobuf JSON write it. */
const isoTimePattern = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$";

/** A UUID (ids of users, orders, events). */
export const uuidLike = (example: string) => MatchersV3.regex(uuidPattern, example);
/** A protobuf JSON int64: a decimal string. */
export const int64Like = (example: string) => MatchersV3.regex("^-?[0-9]+$", example);
/** A positive int64 (versions start at 1). */
export const positiveInt64Like = (example: string) => MatchersV3.regex("^[1-9][0-9]*$", example);
export const timestampLike = (example: string) => MatchersV3.regex(isoTimePattern, example);

/**
 * The CloudEvents metadata every event consumer relies on: `ce-type` (which handler; exact),
 * `ce-id` (the inbox key; a UUID), `ce-specversion`, `ce-source` and `ce-time` (the envelope is
 * refused without them), and the subject the event type is published on (exact).
 */
export function cloudEventsMetadata(
  type: AnyEventType,
  example: { source: string; eventId: string },
) {
  return {
    "ce-specversion": "1.0",
    "ce-type": type.typeName,
    // Each interaction its own example id: the consumer's inbox skips an id it has seen.
    "ce-id": uuidLike(example.eventId),
    "ce-source": MatchersV3.regex("^switchyard/[a-z-]+$", example.source),
    "ce-time": timestampLike("2026-11-26T07:00:00.000Z"),
    subject: type.subject,
  };
}

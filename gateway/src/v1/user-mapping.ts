import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  type UserSchema,
  UserStatus,
} from "@switchyard/contracts/connect/switchyard/edge/v1/user_service_pb";
import {
  type User as InternalUser,
  UserStatus as InternalUserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { toPublicTimestamp } from "../timestamp-mapping.js";

/**
 * v1 has one `full_name`; the service stores given and family name. Split at the first run of
 * whitespace ("Ada King Lovelace" → "Ada" + "King Lovelace"); a single word is a person with one
 * name ("Teller" → given name "Teller", no family name), which the service accepts.
 */
export function splitFullName(fullName: string): { givenName: string; familyName: string } {
  const trimmed = fullName.trim();
  const match = /\s+/.exec(trimmed);
  if (match === null) return { givenName: trimmed, familyName: "" };
  return {
    givenName: trimmed.slice(0, match.index),
    familyName: trimmed.slice(match.index + match[0].length),
  };
}

/** Given and family name joined by one space (either may be empty). */
export function joinFullName(givenName: string, familyName: string): string {
  return [givenName, familyName].filter((part) => part !== "").join(" ");
}

const statuses: Record<InternalUserStatus, UserStatus> = {
  [InternalUserStatus.USER_STATUS_UNSPECIFIED]: UserStatus.UNSPECIFIED,
  [InternalUserStatus.USER_STATUS_ACTIVE]: UserStatus.ACTIVE,
  [InternalUserStatus.USER_STATUS_SUSPENDED]: UserStatus.SUSPENDED,
  [InternalUserStatus.UNRECOGNIZED]: UserStatus.UNSPECIFIED,
};

/** The internal user as a v1 User. */
export function toV1User(user: InternalUser): MessageInitShape<typeof UserSchema> {
  return {
    userId: user.userId,
    email: user.email,
    fullName: joinFullName(user.givenName, user.familyName),
    status: statuses[user.status] ?? UserStatus.UNSPECIFIED,
    version: user.version,
    createTime: toPublicTimestamp(user.createTime),
  };
}

/** Internal field paths in user-service errors, as v1 calls them. */
export function v1UserField(field: string): string {
  if (field === "given_name" || field === "family_name") return "full_name";
  if (field === "expected_version") return "version";
  return field;
}

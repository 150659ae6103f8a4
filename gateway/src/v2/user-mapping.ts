import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  type UserSchema,
  UserStatus,
} from "@switchyard/contracts/connect/switchyard/edge/v2/user_service_pb";
import {
  type User as InternalUser,
  UserStatus as InternalUserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { toPublicTimestamp } from "../timestamp-mapping.js";
import { encodeEtag } from "./etag.js";

const statuses: Record<InternalUserStatus, UserStatus> = {
  [InternalUserStatus.USER_STATUS_UNSPECIFIED]: UserStatus.UNSPECIFIED,
  [InternalUserStatus.USER_STATUS_ACTIVE]: UserStatus.ACTIVE,
  [InternalUserStatus.USER_STATUS_SUSPENDED]: UserStatus.SUSPENDED,
  [InternalUserStatus.UNRECOGNIZED]: UserStatus.UNSPECIFIED,
};

/** The internal user as a v2 User: the version travels only as an opaque etag. */
export function toV2User(user: InternalUser): MessageInitShape<typeof UserSchema> {
  return {
    userId: user.userId,
    email: user.email,
    givenName: user.givenName,
    familyName: user.familyName,
    status: statuses[user.status] ?? UserStatus.UNSPECIFIED,
    etag: encodeEtag(user.version),
    createTime: toPublicTimestamp(user.createTime),
    updateTime: toPublicTimestamp(user.updateTime),
  };
}

/** Internal field paths in user-service errors, as v2 calls them. */
export function v2UserField(field: string): string {
  return field === "expected_version" ? "etag" : field;
}

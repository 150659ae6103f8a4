import type { Timestamp } from "@switchyard/contracts/grpc/google/protobuf/timestamp";
import {
  type User as UserMessage,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import type { User } from "../domain/user.js";

const statusToProto = {
  active: UserStatus.USER_STATUS_ACTIVE,
  suspended: UserStatus.USER_STATUS_SUSPENDED,
} as const;

/** The contract's view of a user (suspend reason stays internal). */
export function toUserMessage(user: User): UserMessage {
  return {
    userId: user.userId,
    email: user.email,
    givenName: user.givenName,
    familyName: user.familyName,
    status: statusToProto[user.status],
    version: user.version,
    createTime: toTimestamp(user.createTime),
    updateTime: toTimestamp(user.updateTime),
  };
}

function toTimestamp(date: Date): Timestamp {
  const millis = date.getTime();
  const seconds = Math.floor(millis / 1000);
  return { seconds: BigInt(seconds), nanos: (millis - seconds * 1000) * 1_000_000 };
}

import type { ValueCodec } from "@switchyard/cache";
import type { User } from "../domain/user.js";

interface UserJson {
  userId: string;
  email: string;
  givenName: string;
  familyName: string;
  status: User["status"];
  suspendReason: string | null;
  version: string;
  createTime: string;
  updateTime: string;
}

/**
 * A user as it is stored in the shared cache tier (NATS KV): JSON with the version as a
 * decimal string and times as ISO strings (JSON has no bigint or Date).
 */
export const userCodec: ValueCodec<User> = {
  encode(user) {
    const json: UserJson = {
      ...user,
      version: user.version.toString(),
      createTime: user.createTime.toISOString(),
      updateTime: user.updateTime.toISOString(),
    };
    return new TextEncoder().encode(JSON.stringify(json));
  },
  decode(bytes) {
    const json = JSON.parse(new TextDecoder().decode(bytes)) as UserJson;
    if (json.status !== "active" && json.status !== "suspended") {
      throw new Error(`cached user ${json.userId} has unknown status ${String(json.status)}`);
    }
    return {
      userId: json.userId,
      email: json.email,
      givenName: json.givenName,
      familyName: json.familyName,
      status: json.status,
      suspendReason: json.suspendReason,
      version: BigInt(json.version),
      createTime: new Date(json.createTime),
      updateTime: new Date(json.updateTime),
    };
  },
};

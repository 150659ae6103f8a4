/** Account status in the users context; stored as text, exposed as the proto enum at the edge. */
export type UserStatus = "active" | "suspended";

/** A registered user as the users context sees it. */
export interface User {
  userId: string;
  /** Normalized (trimmed, lower-cased); unique across users. */
  email: string;
  givenName: string;
  familyName: string;
  status: UserStatus;
  suspendReason: string | null;
  /** Starts at 1 and grows by one on every change: the optimistic-concurrency token. */
  version: bigint;
  createTime: Date;
  updateTime: Date;
}

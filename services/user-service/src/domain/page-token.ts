import { invalidArgument } from "@switchyard/errors";
import { isUserId } from "./user-id.js";

/** Keyset cursor: the last user of a page, in list order (create_time, user_id). */
export interface PageCursor {
  createTime: Date;
  userId: string;
}

// Versioned so the encoding can change without misreading tokens handed out earlier.
const tokenVersion = 1;

/** Opaque page token for the cursor: base64url of a small JSON document. */
export function encodePageToken(cursor: PageCursor): string {
  const payload = JSON.stringify([tokenVersion, cursor.createTime.toISOString(), cursor.userId]);
  return Buffer.from(payload, "utf8").toString("base64url");
}

/**
 * The cursor inside a token from {@link encodePageToken}; undefined for "" (first page).
 * Anything else throws invalid-argument on field "page_token".
 */
export function decodePageToken(token: string): PageCursor | undefined {
  if (token === "") return undefined;
  const cursor = tryDecode(token);
  if (cursor === undefined) {
    throw invalidArgument([
      { field: "page_token", description: "is not a token returned by a previous ListUsers call" },
    ]);
  }
  return cursor;
}

function tryDecode(token: string): PageCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [version, time, userId] = parsed as unknown[];
  if (version !== tokenVersion || typeof time !== "string" || typeof userId !== "string") {
    return undefined;
  }
  const createTime = new Date(time);
  if (Number.isNaN(createTime.getTime()) || !isUserId(userId)) return undefined;
  return { createTime, userId };
}

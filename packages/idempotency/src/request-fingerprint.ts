import { createHash } from "node:crypto";
import type { MessageCodec } from "./message-codec.js";

/**
 * SHA-256 (hex) of the request's protobuf encoding: two requests with the same fields have the
 * same fingerprint, so a retry can be told apart from a key reused for a different request.
 */
export function requestFingerprint<T>(request: T, codec: MessageCodec<T>): string {
  return createHash("sha256").update(codec.encode(request).finish()).digest("hex");
}

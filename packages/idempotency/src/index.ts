export {
  type IdempotencyKeyPurge,
  type PurgeLogger,
  startIdempotencyKeyPurge,
} from "./idempotency-key-purge.js";
export { idempotencyKeys, idempotencyKeysDdl } from "./idempotency-keys-table.js";
export type { MessageCodec } from "./message-codec.js";
export { requestFingerprint } from "./request-fingerprint.js";
export {
  type IdempotentCommand,
  purgeExpiredIdempotencyKeys,
  runIdempotent,
} from "./run-idempotent.js";

export { applyOnce } from "./apply-once.js";
export {
  type ConsumedEvent,
  type EventHandler,
  type InboxDatabase,
  isEventOf,
} from "./consumed-event.js";
export {
  deadLetterHeaders,
  deadLetterStreamFor,
  deadLetterSubject,
  ensureDeadLetterStream,
} from "./dead-letter-stream.js";
export { decodeEvent } from "./decode-event.js";
export { inboxMessages, inboxMessagesDdl } from "./inbox-messages-table.js";
export { PoisonMessageError } from "./poison-message-error.js";
export { redriveDeadLetterStream } from "./redrive-dead-letter-stream.js";
export { type ReplayResult, type ReplayStreamOptions, replayStream } from "./replay-stream.js";
export { defaultRetryDelayMs } from "./retry-delay.js";
export {
  type RunningConsumer,
  type StartConsumerOptions,
  startConsumer,
} from "./start-consumer.js";
export { isTransientDatabaseFailure } from "./transient-failure.js";

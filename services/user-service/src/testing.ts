/**
 * What other packages need to run a REAL user-service (e.g. `@switchyard/test-backends`, the
 * devstack's checks): the declaration production runs, and its migrations folder. Exported as
 * `@switchyard/user-service/testing`; nothing else of the service is public.
 */

// The event builders the use cases call (the outbox path), for the event contracts' provider
// verification (tools/contracts).
export type { User } from "./domain/user.js";
export { userRegisteredEvent, userSuspendedEvent, userUpdatedEvent } from "./events/user-events.js";
export { userServiceName } from "./grpc/user-service-handlers.js";
export { migrationsFolder, userService } from "./user-service.js";

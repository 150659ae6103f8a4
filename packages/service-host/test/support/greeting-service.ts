import { fileURLToPath } from "node:url";
import {
  type User,
  UserServiceService,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { eventsConfigShape, userEventsStream } from "@switchyard/events";
import { unary } from "@switchyard/grpc-kit";
import { outboxConfigShape } from "@switchyard/outbox";
import {
  bindService,
  databaseConfigShape,
  defineGrpcService,
  grpcServiceConfigShape,
  idempotencyConfigShape,
} from "../../src/index.js";

const migrationsFolder = fileURLToPath(new URL("../fixtures/drizzle", import.meta.url));

function user(userId: string, givenName: string): User {
  return {
    userId,
    email: "greeting@example.com",
    givenName,
    familyName: "Greeting",
    status: UserStatus.USER_STATUS_ACTIVE,
    version: 1n,
  };
}

/**
 * A small declaration with everything the host can wire (database with migrations, NATS with a
 * stream and the outbox relay, idempotency purge, background work, an extra readiness check),
 * serving UserService as "user-service" so THE access policy has an entry for it. GetUser
 * answers with the caller the host's interceptor chain established; `events` records the order
 * in which background work stops.
 */
export function greetingService(events: string[] = []) {
  return defineGrpcService({
    name: "user-service",
    config: {
      ...grpcServiceConfigShape({ defaultPort: 0 }),
      ...databaseConfigShape,
      ...idempotencyConfigShape,
      ...eventsConfigShape,
      ...outboxConfigShape,
    },
    database: { migrationsFolder, migrationsName: "greeting_service" },
    events: { produces: userEventsStream },
    idempotency: true,
    readiness: () => ({ greetings: async () => {} }),
    background: async () => ({
      worker: {
        async stop() {
          events.push("background stopped");
        },
      },
    }),
    grpc: (context) => [
      bindService(UserServiceService, {
        getUser: unary(async (request, call) => {
          const [row] = await context.database.sql<{ n: number }[]>`
            select count(*)::int as n from greetings`;
          return { user: user(request.userId, `${call.caller} (${row?.n ?? 0} greetings)`) };
        }),
        registerUser: unary(async () => ({ user: user("new", "registered") })),
        updateUser: unary(async () => ({})),
        listUsers: unary(async () => ({ users: [], nextPageToken: "" })),
        suspendUser: unary(async () => ({})),
      }),
    ],
  });
}

import {
  type UserServiceServer,
  UserServiceService,
  UserStatus,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { createGrpcServer, unary } from "@switchyard/grpc-kit";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger, type Logger } from "@switchyard/logging";
import type { WorkloadIdentity } from "@switchyard/workload-identity";
import { createAuthorizationInterceptor } from "../../src/index.js";

/** A logger whose JSON lines stay in memory. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    service: "access-policy-test",
    level: "debug",
    destination: { write: (line: string) => lines.push(line) },
  });
  return { logger, lines };
}

/**
 * A real grpc-kit server (health, reflection) running as user-service with the real
 * authorization interceptor and `identity`'s credentials, on 127.0.0.1:0. Every UserService
 * method answers with a user whose givenName is `CallContext.caller`, familyName the method and
 * email the end user (`<subject> <scope,scope>`, or "no end user");
 * `handled` lists the methods whose handler actually ran.
 */
export async function startGuardedUserService(identity: WorkloadIdentity) {
  const { logger, lines } = memoryLogger();
  const handled: string[] = [];
  const echo = (method: string) =>
    unary(async (_request: unknown, context) => {
      handled.push(method);
      return {
        user: {
          userId: "00000000-0000-4000-8000-000000000000",
          email:
            context.endUser === undefined
              ? "no end user"
              : `${context.endUser.subject} ${context.endUser.scopes.join(",")}`,
          givenName: context.caller,
          familyName: method,
          status: UserStatus.USER_STATUS_ACTIVE,
          version: 1n,
        },
        users: [],
        nextPageToken: "",
      };
    });
  const implementation = {
    registerUser: echo("RegisterUser"),
    getUser: echo("GetUser"),
    updateUser: echo("UpdateUser"),
    listUsers: echo("ListUsers"),
    suspendUser: echo("SuspendUser"),
  } as unknown as UserServiceServer;

  const grpcServer = createGrpcServer({
    logger,
    health: new HealthRegistry(),
    serviceNames: ["switchyard.user.v1.UserService"],
    interceptors: [
      createAuthorizationInterceptor({
        server: "user-service",
        identifyCaller: identity.callerOf,
        logger,
      }),
    ],
  });
  grpcServer.addService(UserServiceService, implementation);
  const port = await grpcServer.listen("127.0.0.1:0", identity.serverCredentials());
  return {
    port,
    handled,
    logLines: lines,
    close: () => grpcServer.shutdown(0),
  } satisfies { port: number; handled: string[]; logLines: string[]; close(): Promise<void> };
}

export type GuardedServer = Awaited<ReturnType<typeof startGuardedUserService>>;

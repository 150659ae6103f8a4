import type * as grpc from "@grpc/grpc-js";
import { UserServiceService } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger, type Logger } from "@switchyard/logging";
import { createGrpcServer, type GrpcServer } from "../../src/index.js";
import { plaintextServer } from "./plaintext.js";
import { createTinyUserService } from "./tiny-user-service.js";

export interface CapturedLogs {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
  /** Every captured line as raw JSON text, for "never contains" assertions. */
  text(): string;
}

/** A logger whose JSON lines are kept in memory. */
export function capturedLogs(): CapturedLogs {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    service: "grpc-kit-test",
    level: "debug",
    destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
  });
  return { logger, lines, text: () => lines.map((line) => JSON.stringify(line)).join("\n") };
}

export interface TestServer {
  grpcServer: GrpcServer;
  health: HealthRegistry;
  logs: CapturedLogs;
  address: string;
  close(): Promise<void>;
}

/** A real createGrpcServer on 127.0.0.1:0 serving the tiny UserService. */
export async function startTestServer(
  options: {
    health?: HealthRegistry;
    healthPollIntervalMs?: number;
    serverName?: string;
    interceptors?: grpc.ServerInterceptor[];
  } = {},
): Promise<TestServer> {
  const logs = capturedLogs();
  const health = options.health ?? new HealthRegistry();
  const grpcServer = createGrpcServer({
    logger: logs.logger,
    health,
    serviceNames: ["switchyard.user.v1.UserService"],
    healthPollIntervalMs: options.healthPollIntervalMs,
    interceptors: options.interceptors,
  });
  grpcServer.addService(UserServiceService, createTinyUserService(options.serverName));
  const port = await grpcServer.listen("127.0.0.1:0", plaintextServer());
  return {
    grpcServer,
    health,
    logs,
    address: `127.0.0.1:${port}`,
    close: () => grpcServer.shutdown(1000),
  };
}

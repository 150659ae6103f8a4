import { Writable } from "node:stream";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { OrderServiceClient } from "@switchyard/contracts/grpc/switchyard/order/v1/order_service";
import { UserServiceClient } from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { createGrpcClient } from "@switchyard/grpc-kit";
import { HealthRegistry } from "@switchyard/lifecycle";
import { createLogger } from "@switchyard/logging";
import { createWebBffServer } from "../../src/web-bff-server.js";

export interface WebBffHarness {
  baseUrl: string;
  /** A Connect (JSON, HTTP/1.1) client, as a browser would use. */
  client: Client<typeof WebService>;
  health: HealthRegistry;
  /** Every JSON log line the BFF wrote. */
  logLines: string[];
  close(): Promise<void>;
}

/** web-bff on 127.0.0.1:0, built exactly as main.ts builds it, calling the given targets. */
export async function startWebBff(options: {
  userServiceTarget: string;
  orderServiceTarget: string;
  budgetMs: number;
  recentOrders?: number;
}): Promise<WebBffHarness> {
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const users = createGrpcClient(UserServiceClient, { target: options.userServiceTarget });
  const orders = createGrpcClient(OrderServiceClient, { target: options.orderServiceTarget });
  const health = new HealthRegistry();
  const server = createWebBffServer({
    users,
    orders,
    health,
    logger: createLogger({ service: "web-bff", level: "debug", destination }),
    budgetMs: options.budgetMs,
    recentOrders: options.recentOrders ?? 5,
  });
  const port = await server.listen("127.0.0.1", 0);
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    client: createClient(WebService, createConnectTransport({ baseUrl, httpVersion: "1.1" })),
    health,
    logLines,
    async close() {
      await server.close(1_000);
      users.close();
      orders.close();
    },
  };
}

/** Milliseconds `action` took, with its result. */
export async function timed<T>(action: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = performance.now();
  const value = await action();
  return { value, elapsedMs: performance.now() - started };
}

import * as http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { BadRequestSchema } from "@switchyard/contracts/connect/google/rpc/error_details_pb";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";

export interface WebBffStub {
  /** Topology target, e.g. "127.0.0.1:40123". */
  target: string;
  /** Request ids and timeouts the stub was called with, in order. */
  seen: {
    requestId: string | null;
    timeoutMs: number | undefined;
    protocol: string;
    authorization: string | null;
    endUserHeader: string | null;
  }[];
  stop(): Promise<void>;
}

/**
 * A tiny REAL Connect server implementing switchyard.bff.web.v1.WebService on h2c, port 0,
 * standing in for web-bff (built separately): GetDashboard answers with a canned profile;
 * GetOrderPage fails on purpose — "bad" → invalid_argument with a BadRequest detail, "missing" →
 * not_found, anything else → an internal error whose message must never reach a client.
 */
export async function startWebBffStub(): Promise<WebBffStub> {
  const seen: WebBffStub["seen"] = [];
  const handler = connectNodeAdapter({
    routes(router) {
      router.service(WebService, {
        getDashboard(request, context) {
          seen.push({
            requestId: context.requestHeader.get("x-request-id"),
            timeoutMs: context.timeoutMs(),
            protocol: context.protocolName,
            authorization: context.requestHeader.get("authorization"),
            endUserHeader: context.requestHeader.get("x-switchyard-end-user"),
          });
          return {
            profile: {
              customerId: request.customerId,
              displayName: "Ada Lovelace",
              email: "ada@example.com",
              standing: "active",
            },
            recentOrders: [],
            degradedSections: [{ section: "orders", reason: "orders are temporarily unavailable" }],
          };
        },
        getOrderPage(request) {
          if (request.orderId === "bad") {
            throw new ConnectError("order_id: must be a UUID", Code.InvalidArgument, undefined, [
              {
                desc: BadRequestSchema,
                value: { fieldViolations: [{ field: "order_id", description: "must be a UUID" }] },
              },
            ]);
          }
          if (request.orderId === "missing") {
            throw new ConnectError("order missing was not found", Code.NotFound);
          }
          throw new ConnectError(
            "pool exhausted: postgres://bff:secret@10.0.0.3/db",
            Code.Internal,
          );
        },
      });
    },
  });
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    target: `127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.close();
      }),
  };
}

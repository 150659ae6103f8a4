import * as http from "node:http";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { UserService } from "@switchyard/contracts/connect/switchyard/edge/v2/user_service_pb";
import {
  GetUserResponse,
  type User,
  UserServiceClient,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { endUserMetadata } from "@switchyard/grpc-kit";
import { benchIdentity } from "./bench-identity.js";

// Rows (k) and (l): the least a JSON → gRPC hop costs in Node on this machine — a generated
// grpc-js client (mTLS as the gateway dials user-service) with no interceptor behind
//   BENCH_HOP=http    (k) a node:http server, JSON in and out;
//   BENCH_HOP=connect (l) connect-node's adapter on a node:http server, serving the gateway's
//                         edge v2 GetUser with no interceptor.
// No token check, no authorization, no metrics, no tracing, no logging, no deadline: what a Node
// gateway pays before it does anything of its own, so (f)/(l) is the share of the hop that is
// the gateway's and (l)/(k) what Connect's request handling costs. A measuring stick, not a
// gateway. USER_SERVICE_TARGET=127.0.0.1:port; prints {"port": N} once listening; SIGTERM stops it.

const transport = benchIdentity().clientTransport("user-service");
const users = new UserServiceClient(
  process.env.USER_SERVICE_TARGET ?? "",
  transport.credentials,
  transport.channelOptions,
);

/** GetUser as the gateway asks it after verifying a token: the caller is the user it asks for. */
function getUser(userId: string): Promise<User | undefined> {
  return new Promise((resolve, reject) => {
    users.getUser({ userId }, endUserMetadata({ subject: userId, scopes: [] }), (error, answer) =>
      error === null ? resolve(answer.user) : reject(error),
    );
  });
}

const plainHttp: http.RequestListener = (request, response) => {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk: string) => {
    body += chunk;
  });
  request.on("end", () => {
    let userId: string;
    try {
      ({ userId } = JSON.parse(body) as { userId: string });
    } catch {
      response.writeHead(400).end('the body must be JSON: {"userId": "…"}');
      return;
    }
    getUser(userId).then(
      (user) =>
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify(GetUserResponse.toJSON({ user }))),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
};

const connect = connectNodeAdapter({
  routes: (router) =>
    router.service(UserService, {
      async getUser(request) {
        const user = await getUser(request.userId);
        if (user === undefined) return {};
        // The gateway's v2 fields but the status (its enum table) and the etag's encoding.
        return {
          user: {
            userId: user.userId,
            email: user.email,
            givenName: user.givenName,
            familyName: user.familyName,
            etag: String(user.version),
            createTime: user.createTime,
            updateTime: user.updateTime,
          },
        };
      },
    }),
});

const server = http.createServer(process.env.BENCH_HOP === "connect" ? connect : plainHttp);
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.once("SIGTERM", () => {
  server.close();
  users.close();
  process.exit(0);
});

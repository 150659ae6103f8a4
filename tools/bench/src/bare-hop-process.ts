import * as http from "node:http";
import {
  GetUserResponse,
  UserServiceClient,
} from "@switchyard/contracts/grpc/switchyard/user/v1/user_service";
import { endUserMetadata } from "@switchyard/grpc-kit";
import { benchIdentity } from "./bench-identity.js";

// Row (k)'s process: the least an HTTP/1.1 JSON → gRPC hop in Node costs on this machine — a
// node:http server, JSON in and out, and a generated grpc-js client (mTLS as the gateway dials
// user-service) with no interceptor. No Connect, no token check, no authorization, no metrics,
// no logging, no deadline: what every Node gateway pays before it does anything of its own, so
// (f)/(k) is the share of the hop that is the gateway's. A measuring stick, not a gateway.
// USER_SERVICE_TARGET=127.0.0.1:port; prints {"port": N} once listening; SIGTERM stops it.

const transport = benchIdentity().clientTransport("user-service");
const users = new UserServiceClient(
  process.env.USER_SERVICE_TARGET ?? "",
  transport.credentials,
  transport.channelOptions,
);

const server = http.createServer((request, response) => {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk: string) => {
    body += chunk;
  });
  request.on("end", () => {
    const { userId } = JSON.parse(body) as { userId: string };
    // As the gateway does after verifying a token: the caller is the user it asks for.
    const metadata = endUserMetadata({ subject: userId, scopes: [] });
    users.getUser({ userId }, metadata, (error, answer) => {
      const [status, json] =
        error === null
          ? [200, JSON.stringify(GetUserResponse.toJSON(answer))]
          : [500, JSON.stringify({ code: error.code, message: error.details })];
      response.writeHead(status, { "content-type": "application/json" }).end(json);
    });
  });
});
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

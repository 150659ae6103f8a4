import { startBenchChild } from "./bench-child.js";
import type { Scenario } from "./edge-scenarios.js";
import { keepAliveJsonPost } from "./keep-alive-json-post.js";

const hops = {
  k: {
    hop: "http",
    path: "/switchyard.user.v1.UserService/GetUser",
    title:
      "GetUser: the floor — node:http + bare grpc-js hop → user-service (no Connect, no checks)",
  },
  l: {
    hop: "connect",
    path: "/switchyard.edge.v2.UserService/GetUser",
    title:
      "GetUser: the Connect floor — connect-node + bare grpc-js hop → user-service (no checks)",
  },
} as const;

/**
 * (k) and (l), the floors: GetUser through `bare-hop-process.ts` — (k) node:http, (l) the
 * connect-node adapter, each with a bare grpc-js client — to the user-service at
 * `userServiceTarget` (the (f) pair's), sent exactly as (f) sends it (same body, same
 * `authorization` header, which the hop ignores). `userServicePid` and the hop's own process
 * are the row's server processes; `stop` ends the hop's process.
 */
export async function bareHopScenario(
  key: keyof typeof hops,
  userServiceTarget: string,
  userServicePid: number | undefined,
  customer: { userId: string; authorization: string },
  concurrency: number,
): Promise<Scenario & { stop(): Promise<void> }> {
  const { hop, path, title } = hops[key];
  const child = await startBenchChild(
    "bare-hop-process",
    { USER_SERVICE_TARGET: userServiceTarget, BENCH_HOP: hop },
    `bench bare hop (${key})`,
  );
  const poster = keepAliveJsonPost(
    `http://127.0.0.1:${child.port}${path}`,
    JSON.stringify({ userId: customer.userId }),
    concurrency,
    { authorization: customer.authorization },
  );
  return {
    key,
    title,
    pids: [userServicePid, child.pid].filter((pid): pid is number => pid !== undefined),
    call: async () => {
      await poster.post();
    },
    close: () => poster.close(),
    stop: child.stop,
  };
}

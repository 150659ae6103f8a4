import type { ChildProcess } from "node:child_process";
import { startBenchChild } from "./bench-child.js";
import type { Scenario } from "./edge-scenarios.js";
import { keepAliveJsonPost } from "./keep-alive-json-post.js";
import { stopChild } from "./stop-child.js";

/**
 * (k), the floor: GetUser through `bare-hop-process.ts` (node:http + a bare grpc-js client) to
 * the user-service at `userServiceTarget` — the (f) pair's — sent exactly as (f) sends it
 * (same body, same `authorization` header, which the hop ignores). `userServicePid` and the
 * hop's own process are the row's server processes; `stop` ends the hop's process.
 */
export async function bareHopScenario(
  userServiceTarget: string,
  userServicePid: number | undefined,
  customer: { userId: string; authorization: string },
  concurrency: number,
): Promise<Scenario & { stop(): Promise<void> }> {
  const children: ChildProcess[] = [];
  const port = await startBenchChild(
    "bare-hop-process",
    { USER_SERVICE_TARGET: userServiceTarget },
    children,
    "bench bare hop (k)",
  ).catch(async (error: unknown) => {
    await Promise.all(children.map((child) => stopChild(child, 5_000)));
    throw error;
  });
  const poster = keepAliveJsonPost(
    `http://127.0.0.1:${port}/switchyard.user.v1.UserService/GetUser`,
    JSON.stringify({ userId: customer.userId }),
    concurrency,
    { authorization: customer.authorization },
  );
  const hopPid = children[0]?.pid;
  return {
    key: "k",
    title:
      "GetUser: the floor — node:http + bare grpc-js hop → user-service (no Connect, no checks)",
    pids: [userServicePid, hopPid].filter((pid): pid is number => pid !== undefined),
    call: async () => {
      await poster.post();
    },
    close: () => poster.close(),
    stop: async () => {
      await Promise.all(children.map((child) => stopChild(child, 5_000)));
    },
  };
}

/**
 * Calls of one RPC method a server has answered so far (any status), read from its own RED
 * series on its /metrics (`rpc.server.call.duration`'s count): what reached it, whatever
 * answered in front of it.
 */
export async function servedCalls(
  metricsUrl: string,
  rpc: { service: string; method: string },
): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (
      line.startsWith("rpc_server_call_duration_count{") &&
      line.includes(`rpc_service="${rpc.service}"`) &&
      line.includes(`rpc_method="${rpc.method}"`)
    ) {
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return total;
}

/**
 * The plain-HTTP base URL of a topology target, for Connect clients (connect-node dials URLs,
 * not gRPC targets): "127.0.0.1:8081" → "http://127.0.0.1:8081",
 * "dns:///web-bff.switchyard.svc.cluster.local:8081" → "http://web-bff.switchyard.svc.cluster.local:8081".
 * Throws for targets no single URL can express: unix sockets and address lists
 * ("ipv4:10.0.0.1:8081,10.0.0.2:8081") — point those callers at a Service name instead.
 */
export function toHttpBaseUrl(target: string): string {
  const address = addressOf(target);
  if (address.includes(",")) {
    throw new Error(
      `cannot turn "${target}" into one URL: it lists several addresses (use a DNS name instead)`,
    );
  }
  if (!/^(?:\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+):\d+$/.test(address)) {
    throw new Error(`cannot turn "${target}" into an http:// URL: expected host:port`);
  }
  return `http://${address}`;
}

/**
 * Every plain-HTTP base URL of a target: one per address of an ipv4:/ipv6: list (replicas on
 * one host, e.g. the devstack's "ipv4:127.0.0.1:8081,127.0.0.1:8091"), otherwise the one URL
 * of `toHttpBaseUrl`. A Connect client balances over them itself.
 */
export function toHttpBaseUrls(target: string): string[] {
  const list = /^ipv[46]:(.+,.+)$/.exec(target)?.[1];
  if (list === undefined) return [toHttpBaseUrl(target)];
  return list.split(",").map((address) => toHttpBaseUrl(address));
}

function addressOf(target: string): string {
  // dns:[//authority/]host:port — the optional authority names a DNS server, not the host.
  const dns = /^dns:(?:\/\/[^/]*\/)?(.+)$/.exec(target);
  if (dns?.[1] !== undefined) return dns[1];
  const ip = /^ipv[46]:(.+)$/.exec(target);
  if (ip?.[1] !== undefined) return ip[1];
  if (/^unix(?:-abstract)?:/.test(target)) {
    throw new Error(`cannot turn "${target}" into an http:// URL: unix sockets have no host`);
  }
  return target;
}

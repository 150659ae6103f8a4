import type { NodeRequest } from "@switchyard/connect-host";

// Headers that claim WHO is calling. Only the gateway says who the end user is (after verifying
// the token), and only the mesh says which workload calls; a client must not be able to send
// either. Prefixes: our own metadata, Linkerd's, and the usual "authenticated user" headers
// that auth proxies set.
const identityHeaderPattern =
  /^(x-switchyard-|l5d-|x-user|x-end-user|x-forwarded-user|x-remote-user|remote-user|x-auth-request-|x-authenticated-)/;

/**
 * Deletes every identity-claiming header a client sent (`x-user-id`, `x-switchyard-*`,
 * `l5d-client-id`, `l5d-*`, …) before any routing or interceptor sees the request, and returns
 * the names it removed. Downstream identity is only ever what the gateway itself verified.
 */
export function stripIdentityHeaders(request: NodeRequest): string[] {
  const stripped: string[] = [];
  for (const name of Object.keys(request.headers)) {
    if (identityHeaderPattern.test(name.toLowerCase())) {
      delete request.headers[name];
      stripped.push(name);
    }
  }
  return stripped;
}

import { httpTextRequest } from "./http-text-request.js";

/** A running component's liveness URL, by name (for the message when it is missing). */
export interface Endpoint {
  name: string;
  healthUrl: string;
}

/**
 * Checks that every endpoint answers its health URL. Returns the names of those that do not;
 * the caller prints "start the stack first: npm start" and exits 1.
 */
export async function findMissingEndpoints(
  endpoints: Endpoint[],
  timeoutMs = 2_000,
): Promise<string[]> {
  const answers = await Promise.all(
    endpoints.map(async (endpoint) => {
      try {
        const { status } = await httpTextRequest(endpoint.healthUrl, {
          method: "GET",
          headers: {},
          timeoutMs,
        });
        return status >= 200 && status < 300;
      } catch {
        return false;
      }
    }),
  );
  return endpoints
    .filter((_, index) => !answers[index])
    .map((endpoint) => `${endpoint.name} (${endpoint.healthUrl})`);
}

/** Exits 1 with the one message a reader needs when the stack is not running. */
export async function requireRunningStack(endpoints: Endpoint[]): Promise<void> {
  const missing = await findMissingEndpoints(endpoints);
  if (missing.length === 0) return;
  console.error(`no answer from ${missing.join(", ")}`);
  console.error("start the stack first: npm start");
  process.exit(1);
}

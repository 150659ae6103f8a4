import * as http from "node:http";
import * as https from "node:https";

export interface TextResponse {
  status: number;
  text: string;
}

/** Thrown when no complete answer arrived within the timeout. */
export class RequestTimeoutError extends Error {
  constructor(url: string, timeoutMs: number) {
    super(`no answer from ${url} within ${timeoutMs} ms`);
    this.name = "RequestTimeoutError";
  }
}

/**
 * One HTTP/1.1 request over `node:http(s)`, resolving with the status and the body as text.
 * Not `fetch`: fetch refuses the Fetch standard's "bad ports" (e.g. 10080, where a stack started
 * with DEVSTACK_PORT_OFFSET=2000 runs its gateway), and any port is a fine port for the demo.
 */
export function httpTextRequest(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<TextResponse> {
  const request = url.startsWith("https:") ? https.request : http.request;
  const headers = { ...options.headers };
  if (options.body !== undefined)
    headers["content-length"] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: options.method, headers, agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      response.on("error", reject);
    });
    sent.setTimeout(options.timeoutMs, () =>
      sent.destroy(new RequestTimeoutError(url, options.timeoutMs)),
    );
    sent.on("error", reject);
    sent.end(options.body);
  });
}

import * as http from "node:http";
import * as https from "node:https";

export interface JsonPoster {
  /** POSTs the body; resolves with the response text of a 2xx, rejects otherwise. */
  post(): Promise<string>;
  close(): void;
}

/**
 * POSTs one fixed JSON body (with `extraHeaders`, e.g. an Authorization) to `url` over HTTP/1.1
 * keep-alive (`https:` with `tls`: a client certificate, as for web-bff) with a pooled
 * Agent (one socket per request in flight). Not `fetch`: on Node 20 fetch costs the CLIENT ~5×
 * more CPU per request (measured here: 2.4k vs 12.8k req/s against a trivial server), which on
 * a 2-core machine would measure the load generator instead of the gateway.
 */
export function keepAliveJsonPost(
  url: string,
  body: string,
  maxSockets: number,
  extraHeaders: Record<string, string> = {},
  tls?: https.AgentOptions,
): JsonPoster {
  const agent =
    tls === undefined
      ? new http.Agent({ keepAlive: true, maxSockets })
      : new https.Agent({ ...tls, keepAlive: true, maxSockets });
  const request = tls === undefined ? http.request : https.request;
  const headers = {
    ...extraHeaders,
    "content-type": "application/json",
    "connect-protocol-version": "1",
    "content-length": Buffer.byteLength(body),
  };
  return {
    post: () =>
      new Promise<string>((resolve, reject) => {
        const sent = request(url, { method: "POST", agent, headers }, (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            text += chunk;
          });
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(text);
            else reject(new Error(`HTTP ${status}: ${text.slice(0, 200)}`));
          });
          response.on("error", reject);
        });
        sent.on("error", reject);
        sent.end(body);
      }),
    close: () => agent.destroy(),
  };
}

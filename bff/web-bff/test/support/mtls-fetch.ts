import { readFileSync } from "node:fs";
import * as https from "node:https";
import type { TestCertificates } from "@switchyard/workload-identity/testing";

/** TLS options of a client presenting `workload`'s test certificate to web-bff. */
export interface ClientTls {
  ca: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  servername: string;
}

/** `workload`'s certificate from `certs`, checking that the server is web-bff's. */
export function clientTlsOf(certs: TestCertificates, workload: string): ClientTls {
  return {
    ca: readFileSync(certs.caFile),
    cert: readFileSync(certs.certFile(workload)),
    key: readFileSync(certs.keyFile(workload)),
    servername: "web-bff",
  };
}

/** What an HTTPS request answered: status, headers and the body as text. */
export interface TlsResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * An HTTP/1.1 request over TLS with a client certificate (Node's fetch cannot present one):
 * `await mtlsRequest(url, tls, { method: "POST", headers, body })`. Rejects when the TLS
 * handshake fails.
 */
export function mtlsRequest(
  url: string,
  tls: ClientTls,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<TlsResponse> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      { ...tls, method: init.method ?? "GET", headers: init.headers ?? {}, agent: false },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === "string") headers.set(name, value);
            else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
          }
          resolve({ status: response.statusCode ?? 0, headers, text });
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(init.body);
  });
}

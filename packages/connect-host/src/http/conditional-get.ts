import { createHash } from "node:crypto";
import type * as http from "node:http";
import type { NodeRequest, NodeResponse } from "./node-http-types.js";

/**
 * What a cacheable answer says about caching. `private`: the answer is one user's (it depends
 * on the bearer token), so no shared cache may keep it. `no-cache`: a client may keep it but
 * must revalidate before every use — reads must see an UpdateUser at once, and revalidation is
 * cheap because an unchanged answer comes back as a body-less 304.
 */
export const conditionalGetCacheControl = "private, no-cache";

/**
 * HTTP caching for Connect GET reads (methods marked `idempotency_level = NO_SIDE_EFFECTS`):
 * a 200 answer to a GET gets a strong `ETag` (SHA-256 of its content type and body), the
 * Cache-Control above and `Vary: Authorization`; when the request's `If-None-Match` names that
 * ETag the answer becomes `304 Not Modified` with no body. The ETag is over the representation,
 * so it changes whenever anything the client would see changes, whatever the resource.
 *
 * Works by holding the response until it ends (a unary answer is one small message): call it
 * before the Connect handler runs. Any other method, and any non-200 answer, passes untouched.
 */
export function validateConditionalGet(request: NodeRequest, response: NodeResponse): void {
  if (request.method !== "GET") return;
  // node:http's and node:http2's compat responses share these three methods' shapes.
  const writable = response as http.ServerResponse;
  const writeHead = writable.writeHead.bind(writable);
  const write = writable.write.bind(writable);
  const end = writable.end.bind(writable);
  let status = 200;
  let headers: http.OutgoingHttpHeaders = {};
  const chunks: Buffer[] = [];

  writable.writeHead = ((statusCode: number, given?: http.OutgoingHttpHeaders) => {
    status = statusCode;
    headers = { ...headers, ...given };
    return writable;
  }) as typeof writable.writeHead;
  writable.write = ((chunk: Uint8Array | string, ...rest: unknown[]) => {
    chunks.push(Buffer.from(chunk));
    const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    if (callback !== undefined) process.nextTick(callback);
    return true;
  }) as typeof writable.write;
  writable.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk === "string" || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    const callback = [chunk, ...rest].find((arg) => typeof arg === "function") as
      | (() => void)
      | undefined;
    writable.writeHead = writeHead;
    writable.write = write;
    writable.end = end;
    const body = Buffer.concat(chunks);
    if (status !== 200) {
      writeHead(status, headers);
      return end(body, callback);
    }
    const contentType = String(headers["content-type"] ?? writable.getHeader("content-type") ?? "");
    const etag = strongEtag(contentType, body);
    const validators = {
      etag,
      "cache-control": conditionalGetCacheControl,
      vary: "Authorization",
    };
    if (matchesIfNoneMatch(request.headers["if-none-match"], etag)) {
      // RFC 9110 §15.4.5: a 304 carries the validators and Cache-Control/Vary, no content.
      const { "content-type": _type, "content-length": _length, ...rest } = headers;
      writeHead(304, { ...rest, ...validators });
      return end(callback);
    }
    writeHead(200, { ...headers, ...validators, "content-length": body.length });
    return end(body, callback);
  }) as typeof writable.end;
}

function strongEtag(contentType: string, body: Buffer): string {
  const hash = createHash("sha256").update(contentType).update("\n").update(body);
  return `"${hash.digest("base64url").slice(0, 32)}"`;
}

/**
 * RFC 9110 §13.1.2: `*` matches any current representation; otherwise a list of entity tags,
 * compared weakly (a `W/` prefix is ignored).
 */
export function matchesIfNoneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(",") : header;
  if (value.trim() === "*") return true;
  return value
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === etag);
}

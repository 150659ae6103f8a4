import { httpTextRequest, RequestTimeoutError } from "./http-text-request.js";

/** The outcome of one Connect call, success or not; never throws. */
export interface ConnectOutcome<T> {
  ok: boolean;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** Connect error code ("invalid_argument"), "unreachable" or "client_timeout" when not ok. */
  code: string | undefined;
  message: string | undefined;
  body: T | undefined;
  latencyMs: number;
}

export interface ConnectCallOptions {
  headers?: Record<string, string>;
  /** GET is the Connect GET form (`?encoding=json&message=…`), for side-effect-free methods. */
  method?: "POST" | "GET";
  /** Sent as is instead of the JSON of `body` (to send malformed JSON on purpose). */
  rawBody?: string;
  timeoutMs?: number;
}

/**
 * Calls a Connect procedure with JSON over HTTP/1.1, exactly as a browser or curl would:
 * `POST {baseUrl}/{package.Service}/{Method}` with `content-type: application/json`.
 */
export async function callConnectJson<T>(
  baseUrl: string,
  procedure: string,
  body: unknown,
  options: ConnectCallOptions = {},
): Promise<ConnectOutcome<T>> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers: Record<string, string> = {
    ...options.headers,
    "connect-protocol-version": "1",
    "connect-timeout-ms": String(timeoutMs),
  };
  let url = `${baseUrl}/${procedure}`;
  let sent: { method: string; body?: string };
  if (options.method === "GET") {
    const message = encodeURIComponent(JSON.stringify(body));
    url += `?connect=v1&encoding=json&message=${message}`;
    sent = { method: "GET" };
  } else {
    headers["content-type"] = "application/json";
    sent = { method: "POST", body: options.rawBody ?? JSON.stringify(body) };
  }
  try {
    const response = await httpTextRequest(url, { ...sent, headers, timeoutMs: timeoutMs + 1_000 });
    const latencyMs = performance.now() - started;
    const json = parseJson(response.text);
    if (response.status >= 200 && response.status < 300) {
      return {
        ok: true,
        status: response.status,
        code: undefined,
        message: undefined,
        body: json as T,
        latencyMs,
      };
    }
    const error = (json ?? {}) as { code?: unknown; message?: unknown };
    return {
      ok: false,
      status: response.status,
      code: typeof error.code === "string" ? error.code : `http_${response.status}`,
      message: typeof error.message === "string" ? error.message : undefined,
      body: undefined,
      latencyMs,
    };
  } catch (error) {
    const timedOut = error instanceof RequestTimeoutError;
    return {
      ok: false,
      status: 0,
      code: timedOut ? "client_timeout" : "unreachable",
      message: error instanceof Error ? error.message : String(error),
      body: undefined,
      latencyMs: performance.now() - started,
    };
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

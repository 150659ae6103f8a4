/** The answer to one Connect JSON call made with plain fetch (HTTP/1.1). */
export interface JsonCall {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON (undefined when not JSON): loosely typed, tests assert its shape. */
  // biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary response shapes and assert them.
  body: any;
}

/**
 * POSTs a Connect unary call as JSON, the way `curl -H 'content-type: application/json'` would:
 * `postJson(baseUrl, "switchyard.edge.v1.UserService/RegisterUser", {...})`.
 */
export async function postJson(
  baseUrl: string,
  procedure: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonCall> {
  const response = await fetch(`${baseUrl}/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return read(response);
}

/** A Connect GET call (methods marked NO_SIDE_EFFECTS): the message JSON in the query string. */
export async function getJson(
  baseUrl: string,
  procedure: string,
  message: unknown,
  headers: Record<string, string> = {},
): Promise<JsonCall> {
  const query = new URLSearchParams({ encoding: "json", message: JSON.stringify(message) });
  const response = await fetch(`${baseUrl}/${procedure}?${query}`, { headers });
  return read(response);
}

async function read(response: Response): Promise<JsonCall> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** The answer to one Connect JSON call. */
export interface JsonAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests walk the response shapes they assert.
  body: any;
  text: string;
}

/** POSTs a Connect unary call as JSON: `postJson(url, "pkg.Service/Method", {...}, headers)`. */
export async function postJson(
  baseUrl: string,
  procedure: string,
  message: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  const response = await fetch(`${baseUrl}/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(message),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

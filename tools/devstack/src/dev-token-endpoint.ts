import type { IncomingMessage, ServerResponse } from "node:http";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const maxBodyBytes = 1024;

/**
 * `POST /dev/token {"userId": "<uuid>"}` → `{"accessToken": "<JWT>"}`: the dev sign-in of the
 * devstack's web app (what `npm run token` prints). DEV ONLY: it signs in as anyone, which is
 * why only the devstack serves it, on 127.0.0.1, and the production build has no code calling it.
 */
export function devTokenEndpoint(mint: (userId: string) => Promise<string>) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const reply = (status: number, body: object): void => {
      response
        .writeHead(status, { "content-type": "application/json", "cache-control": "no-store" })
        .end(JSON.stringify(body));
    };
    if (request.method !== "POST") return reply(405, { error: "use POST" });
    let body = "";
    for await (const chunk of request) {
      body += chunk;
      if (body.length > maxBodyBytes) return reply(413, { error: "body too large" });
    }
    let userId: unknown;
    try {
      userId = (JSON.parse(body) as { userId?: unknown }).userId;
    } catch {
      return reply(400, { error: 'body must be JSON: {"userId": "<uuid>"}' });
    }
    if (typeof userId !== "string" || !uuid.test(userId)) {
      return reply(400, { error: "userId must be a UUID" });
    }
    reply(200, { accessToken: await mint(userId) });
  };
}

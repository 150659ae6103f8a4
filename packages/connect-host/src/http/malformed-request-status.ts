import { base64Decode } from "@bufbuild/protobuf/wire";
import type { ConnectRouter } from "@connectrpc/connect";
import type {
  UniversalHandler,
  UniversalServerRequest,
  UniversalServerResponse,
} from "@connectrpc/connect/protocol";

/**
 * A request whose message cannot be decoded is the client's mistake: 400 invalid_argument, as
 * connect-es already answers for JSON. For three cases it answers 500 internal instead (found by
 * the gateway's edge fuzzing): a Connect binary body that is not valid protobuf ("parse binary:
 * …", e.g. the single byte 0x00), a compressed message that is cut short ("decompression
 * failed", e.g. `compression=gzip` on a GET whose message is "{"), and a Connect GET whose
 * `message` is not base64 under `base64=1` (a plain Error inside connect-es, reported as
 * "internal error"). Wraps each handler
 * of `router`: the GET parameter is checked before the handler runs, the parse failure is
 * re-labelled after. gRPC and gRPC-Web keep connect-es's INTERNAL status (HTTP 200 either way).
 */
export function answerMalformedRequestsAsInvalidArgument(router: ConnectRouter): void {
  const handlers = router.handlers as UniversalHandler[];
  for (const [index, handler] of handlers.entries()) {
    // No async function: a call whose answer is not a 500 (nearly every call) costs one `then`.
    const wrapped = (request: UniversalServerRequest): Promise<UniversalServerResponse> => {
      let answered: Promise<UniversalServerResponse>;
      try {
        const invalid = invalidGetMessage(request);
        if (invalid !== undefined) return Promise.resolve(invalid);
        answered = handler(request);
      } catch (error) {
        return Promise.reject(error);
      }
      return answered.then((response) =>
        response.status === 500 ? relabelParseFailure(response) : response,
      );
    };
    // The router reads the handler's own properties (requestPath, method, protocolNames, …).
    handlers[index] = Object.assign(wrapped, handler);
  }
}

function invalidGetMessage(request: UniversalServerRequest): UniversalServerResponse | undefined {
  if (request.method !== "GET") return undefined;
  const query = new URL(request.url).searchParams;
  if (query.get("base64") !== "1") return undefined;
  try {
    base64Decode(query.get("message") ?? "");
    return undefined;
  } catch {
    return invalidArgument("message: not valid base64 (base64=1)");
  }
}

/** connect-es's messages for a message it could not decode (anything else stays as it is). */
const parseFailurePrefix = "parse binary: ";
const decompressionFailure = "decompression failed";

async function relabelParseFailure(
  response: UniversalServerResponse,
): Promise<UniversalServerResponse> {
  const isConnectError =
    response.status === 500 &&
    response.body !== undefined &&
    response.header?.get("content-type") === "application/json" &&
    !response.header.has("content-encoding");
  if (!isConnectError || response.body === undefined) return response;
  // A unary Connect error body: one small JSON chunk, already in memory.
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const message = parseFailureMessage(bytes);
  if (message === undefined) return { ...response, body: once(bytes) };
  return invalidArgument(`cannot decode the request message: ${message}`, response.header);
}

/** The reason of an internal error about undecodable input, or undefined for any other body. */
function parseFailureMessage(bytes: Uint8Array): string | undefined {
  try {
    const error = JSON.parse(new TextDecoder().decode(bytes)) as {
      code?: unknown;
      message?: unknown;
    };
    if (error.code !== "internal" || typeof error.message !== "string") return undefined;
    if (error.message === decompressionFailure) return "the compressed message is malformed";
    return error.message.startsWith(parseFailurePrefix)
      ? error.message.slice(parseFailurePrefix.length)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A Connect unary error response; keeps the headers the call already set (request id, …). */
function invalidArgument(message: string, headers?: Headers): UniversalServerResponse {
  const body = new TextEncoder().encode(JSON.stringify({ code: "invalid_argument", message }));
  const header = new Headers(headers);
  header.set("content-type", "application/json");
  header.set("content-length", String(body.byteLength));
  return { status: 400, header, body: once(body) };
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

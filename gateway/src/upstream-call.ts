import type { HandlerContext } from "@connectrpc/connect";
import {
  callUpstream,
  toConnectError,
  type UnaryMethod,
  upstreamCallOptions,
} from "@switchyard/connect-host";

export { required } from "@switchyard/connect-host";

/**
 * An internal grpc-js call on behalf of a public Connect call (the host's `callUpstream` with
 * the call's deadline, cancellation, end user and idempotency key), its failure already turned
 * into a client-safe ConnectError whose field names are the public API's (`renameField`).
 */
export async function callService<Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  context: HandlerContext,
  options: { renameField?: (field: string) => string } = {},
): Promise<Res> {
  try {
    return await callUpstream(method, request, upstreamCallOptions(context));
  } catch (error) {
    throw toConnectError(error, options);
  }
}

import { callUpstream, type UnaryMethod } from "@switchyard/connect-host";
import { type EndUser, endUserMetadata } from "@switchyard/grpc-kit";

/**
 * A section's backend call (`Section.call`): `method(request)` for the end user, with the budget
 * left as its deadline, cancelled when the section is given up. A fresh Metadata per call:
 * grpc-kit's client interceptors add to it.
 */
export function backendCall<Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  endUser: EndUser,
): (deadlineMs: number, signal: AbortSignal) => Promise<Res> {
  return (deadlineMs, signal) =>
    callUpstream(method, request, {
      deadline: Date.now() + deadlineMs,
      metadata: endUserMetadata(endUser),
      signal,
    });
}

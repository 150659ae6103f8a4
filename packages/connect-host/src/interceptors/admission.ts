import type { DescMethod } from "@bufbuild/protobuf";
import { type Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import { endUserKey } from "@switchyard/end-user-auth";
import type { EndUser } from "@switchyard/grpc-kit";

/** The peer address of the HTTP connection the call came on (the key for anonymous callers). */
export const clientAddressKey = createContextKey<string>("unknown", {
  description: "client address",
});

/** What admission control knows about a call before it runs. */
export interface AdmissionRequest {
  method: DescMethod;
  /** The verified end user; undefined on public methods (signup). */
  endUser: EndUser | undefined;
  clientAddress: string;
}

/** Header fields go on the response either way (e.g. RateLimit-Policy, RateLimit, Retry-After). */
export type AdmissionDecision =
  | { admitted: true; headers: Record<string, string> }
  | {
      admitted: false;
      code: Code.ResourceExhausted | Code.Unavailable;
      message: string;
      headers: Record<string, string>;
    };

/** A declaration's admission control (the gateway's rate limits and quotas). */
export interface Admission {
  admit(request: AdmissionRequest): Promise<AdmissionDecision> | AdmissionDecision;
  /** Called after HTTP has drained (e.g. closes the quota store's NATS connection). */
  close(): Promise<void> | void;
}

/**
 * Asks the declaration's admission control before the call goes further: a refused call ends
 * here — it reaches no handler and no backend — as a Connect error (resource_exhausted is HTTP
 * 429 with a Connect error body; gRPC callers get RESOURCE_EXHAUSTED). The decision's header
 * fields go on every answer, success or error.
 */
export function admissionInterceptor(admission: Admission): Interceptor {
  return (next) => async (request) => {
    const decision = await admission.admit({
      method: request.method,
      endUser: request.contextValues.get(endUserKey),
      clientAddress: request.contextValues.get(clientAddressKey),
    });
    if (!decision.admitted) {
      throw new ConnectError(decision.message, decision.code, decision.headers);
    }
    try {
      const response = await next(request);
      for (const [name, value] of Object.entries(decision.headers))
        response.header.set(name, value);
      return response;
    } catch (error) {
      const connectError = ConnectError.from(error);
      for (const [name, value] of Object.entries(decision.headers)) {
        connectError.metadata.set(name, value);
      }
      throw connectError;
    }
  };
}

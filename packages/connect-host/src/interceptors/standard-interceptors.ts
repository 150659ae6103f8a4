import type { DescMethod } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";
import type { MeshWorkload } from "@switchyard/access-policy";
import { type AccessTokenVerifier, authenticationInterceptor } from "@switchyard/end-user-auth";
import type { Logger } from "@switchyard/logging";
import { connectServerSpanInterceptor } from "@switchyard/tracing";
import { type Admission, admissionInterceptor } from "./admission.js";
import { workloadAuthorizationInterceptor } from "./caller-workload.js";
import { type DeadlinePolicy, deadlineInterceptor } from "./deadline.js";
import { errorMappingInterceptor } from "./error-mapping.js";
import { idempotencyKeyInterceptor } from "./idempotency-key.js";
import { requestIdInterceptor } from "./request-id.js";

export interface StandardInterceptorOptions {
  logger: Logger;
  accessTokens: AccessTokenVerifier;
  /** Methods callable without an access token (signup). */
  publicMethods: DescMethod[];
  deadlines: DeadlinePolicy;
  /** Methods that must carry an Idempotency-Key header; none → the interceptor is left out. */
  idempotencyKeyRequiredFor: DescMethod[];
  /** Internal deployables: the access policy entry whose workloads may call (web-bff). */
  workloadCallersOf?: MeshWorkload | undefined;
  /** The declaration's admission control (rate limits, quotas); none → left out. */
  admission?: Admission | undefined;
  /** The host's RPC metrics interceptor (`rpc.server.call.duration`, @switchyard/metrics). */
  metrics?: Interceptor | undefined;
}

/**
 * THE interceptor chain of every Connect deployable, outermost first:
 * 0. the SERVER span (@switchyard/tracing), continuing an incoming `traceparent` — every later
 *    step and the handler run inside it, so refusals are traced too;
 * 0b. RED metrics (`rpc.server.call.duration`) — before every step that can refuse a call;
 * 1. request id — every later step (and every log line) runs with it; echoed on errors too;
 * 2. workload authorization (internal deployables) — which workload may call, by the policy;
 * 3. authentication — the end user's access token;
 * 3b. admission (where declared) — rate limits and quotas, keyed by that end user (or the client
 *    address on public methods); a refused call stops here;
 * 4. deadline — the budget downstream calls get;
 * 5. idempotency key — required where declared;
 * 6. error mapping — innermost, so whatever a handler throws leaves client-safe.
 */
export function standardInterceptors(options: StandardInterceptorOptions): Interceptor[] {
  const { logger } = options;
  return [
    connectServerSpanInterceptor(),
    ...(options.metrics === undefined ? [] : [options.metrics]),
    requestIdInterceptor(),
    ...(options.workloadCallersOf === undefined
      ? []
      : [workloadAuthorizationInterceptor({ server: options.workloadCallersOf, logger })]),
    authenticationInterceptor({
      verifier: options.accessTokens,
      publicMethods: options.publicMethods,
      logger,
    }),
    ...(options.admission === undefined ? [] : [admissionInterceptor(options.admission)]),
    deadlineInterceptor(options.deadlines),
    ...(options.idempotencyKeyRequiredFor.length === 0
      ? []
      : [idempotencyKeyInterceptor({ requiredFor: options.idempotencyKeyRequiredFor })]),
    errorMappingInterceptor(logger),
  ];
}

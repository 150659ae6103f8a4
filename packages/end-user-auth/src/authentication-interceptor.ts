import type { DescMethod } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createContextKey,
  type HandlerContext,
  type Interceptor,
} from "@connectrpc/connect";
import type { EndUser } from "@switchyard/grpc-kit";
import type { Logger } from "@switchyard/logging";
import { AccessTokenRejected, type AccessTokenVerifier } from "./access-token-verifier.js";
import { bearerChallenge } from "./bearer-challenge.js";

/** The verified end user of the current call (undefined on public methods). */
export const endUserKey = createContextKey<EndUser | undefined>(undefined, {
  description: "authenticated end user",
});

export interface AuthenticationInterceptorOptions {
  verifier: AccessTokenVerifier;
  /** Methods anyone may call without a token (signup); their Authorization header is ignored. */
  publicMethods: DescMethod[];
  logger: Logger;
}

/**
 * The verified access token of the current call, for relaying it to another edge workload that
 * verifies it itself (the gateway → web-bff hop). Never forwarded to the gRPC services.
 */
export const accessTokenKey = createContextKey<string | undefined>(undefined, {
  description: "verified access token",
});

/**
 * Connect interceptor: every method except `publicMethods` needs a valid bearer access token.
 * The verified end user goes into the call's context (`endUserKey`) for handlers to pass
 * downstream. A missing or refused token ends the call with `unauthenticated` (HTTP 401) and a
 * `WWW-Authenticate: Bearer …` challenge naming only the category; the detail is logged. A key
 * set that cannot be fetched is `unavailable` (503): that is not the client's fault.
 */
export function authenticationInterceptor(options: AuthenticationInterceptorOptions): Interceptor {
  const { verifier, logger } = options;
  const open = new Set(options.publicMethods);
  return (next) => async (request) => {
    if (open.has(request.method)) return next(request);
    let endUser: EndUser;
    const authorization = request.header.get("authorization");
    try {
      endUser = await verifier.verify(authorization);
    } catch (error) {
      if (error instanceof AccessTokenRejected) {
        logger.info(
          { procedure: procedureOf(request), reason: error.reason },
          `access token refused: ${error.category}`,
        );
        throw new ConnectError(error.category, Code.Unauthenticated, {
          "www-authenticate": bearerChallenge(error),
        });
      }
      logger.error(
        { err: error, procedure: procedureOf(request) },
        "access tokens cannot be verified",
      );
      throw new ConnectError("access tokens cannot be verified right now", Code.Unavailable);
    }
    request.contextValues.set(endUserKey, endUser);
    request.contextValues.set(accessTokenKey, authorization?.replace(/^Bearer +/i, ""));
    return next(request);
  };
}

/** For log lines only: built when one is written. */
function procedureOf(request: { service: { typeName: string }; method: { name: string } }) {
  return `${request.service.typeName}/${request.method.name}`;
}

/**
 * The end user of a call whose method needs one; throws `unauthenticated` if the interceptor
 * did not run (a wiring bug must not turn into an anonymous call downstream).
 */
export function requireEndUser(context: HandlerContext): EndUser {
  const endUser = context.values.get(endUserKey);
  if (endUser === undefined) {
    throw new ConnectError("no authenticated end user", Code.Unauthenticated);
  }
  return endUser;
}

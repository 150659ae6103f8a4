import type { RequestHook } from "@switchyard/connect-host";
import type { Logger } from "@switchyard/logging";
import { stripIdentityHeaders } from "./identity-headers.js";

/** Request hook: drops identity-claiming headers before anything routes on them (logged at debug). */
export function identityHeaderHook(logger: Logger): RequestHook {
  return (request) => {
    const stripped = stripIdentityHeaders(request);
    if (stripped.length > 0) {
      logger.debug({ headers: stripped }, "client-sent identity headers removed");
    }
  };
}

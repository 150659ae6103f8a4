import type { Client, HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { accessTokenKey } from "@switchyard/end-user-auth";
import { deadlineKey } from "../interceptors/deadline.js";
import { requestIdKey } from "../interceptors/request-id.js";
import { toConnectError } from "../upstream-error.js";

/**
 * switchyard.bff.web.v1.WebService, forwarded unchanged to web-bff so the web app reaches its
 * BFF on the gateway's origin. The BFF gets the same deadline and request id as any backend, and
 * the access token the gateway verified (the BFF verifies it again: the hop to it is not mTLS,
 * so it trusts no identity it did not check itself); its errors go through the same client-safe
 * mapping.
 */
export function webRoutes(bff: Client<typeof WebService>): ServiceImpl<typeof WebService> {
  return {
    getDashboard: (request, context) =>
      forward(() => bff.getDashboard(request, callOptions(context))),
    getOrderPage: (request, context) =>
      forward(() => bff.getOrderPage(request, callOptions(context))),
  };
}

function callOptions(context: HandlerContext) {
  const remainingMs = context.values.get(deadlineKey) - Date.now();
  return {
    signal: context.signal,
    // connect-node treats timeoutMs <= 0 as "no timeout": an exhausted budget must still expire.
    timeoutMs: Math.max(1, remainingMs),
    headers: {
      "x-request-id": context.values.get(requestIdKey),
      authorization: `Bearer ${context.values.get(accessTokenKey) ?? ""}`,
    },
  };
}

async function forward<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toConnectError(error);
  }
}

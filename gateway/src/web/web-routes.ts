import type { Client, HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { downstreamDeadline, requestIdKey, toConnectError } from "@switchyard/connect-host";
import type { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { accessTokenKey, endUserKey } from "@switchyard/end-user-auth";
import type { DashboardEdgeCache } from "../edge-cache/dashboard-edge-cache.js";

/**
 * switchyard.bff.web.v1.WebService, forwarded unchanged to web-bff so the web app reaches its
 * BFF on the gateway's origin. The BFF gets the same deadline and request id as any backend, and
 * the access token the gateway verified (the BFF verifies it again: it believes no end user it
 * did not check itself; the hop itself is mTLS as the gateway's workload identity); its errors
 * go through the same client-safe mapping. GetDashboard is answered from the edge tier when this
 * caller read that dashboard before and no event changed it since (see dashboard-edge-cache.ts).
 */
export function webRoutes(
  bff: Client<typeof WebService>,
  dashboards: DashboardEdgeCache,
): ServiceImpl<typeof WebService> {
  return {
    getDashboard: (request, context) =>
      forward(() =>
        dashboards.getDashboard(request.customerId, context.values.get(endUserKey), (shared) => {
          // A shared load outlives this call (other callers wait on it): not cancelled with it.
          const options = callOptions(context);
          return bff.getDashboard(request, shared ? { ...options, signal: undefined } : options);
        }),
      ),
    getOrderPage: (request, context) =>
      forward(() => bff.getOrderPage(request, callOptions(context))),
  };
}

function callOptions(context: HandlerContext) {
  return {
    signal: context.signal,
    timeoutMs: downstreamDeadline(context) - Date.now(),
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

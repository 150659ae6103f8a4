import type { ConnectRouter } from "@connectrpc/connect";
import { WebService } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { requireEndUser } from "@switchyard/end-user-auth";
import type { DashboardScreen } from "./dashboard.js";
import type { OrderPageScreen } from "./order-page.js";

/** Registers switchyard.bff.web.v1.WebService: one method per screen, for the verified end user. */
export function webServiceRoutes(screens: {
  dashboard: DashboardScreen;
  orderPage: OrderPageScreen;
}) {
  return (router: ConnectRouter) =>
    router.service(WebService, {
      getDashboard: (request, context) =>
        screens.dashboard(request, {
          callerTimeoutMs: context.timeoutMs(),
          signal: context.signal,
          endUser: requireEndUser(context),
        }),
      getOrderPage: (request, context) =>
        screens.orderPage(request, {
          callerTimeoutMs: context.timeoutMs(),
          signal: context.signal,
          endUser: requireEndUser(context),
        }),
    });
}

import { defineConnectService } from "@switchyard/connect-host";
import { createBackendClients } from "./backend-clients.js";
import { webBffConfigShape } from "./config.js";
import { createDashboardScreen } from "./dashboard.js";
import { createOrderPageScreen } from "./order-page.js";
import { createProfileCache } from "./profile-cache.js";
import { webServiceRoutes } from "./web-service-routes.js";

/**
 * The web BFF, declared for the Connect host: switchyard.bff.web.v1.WebService for the web app,
 * reached through the gateway only — over mTLS with web-bff's own certificate, callers checked
 * against the access policy — and every screen needs the end user's access token (verified
 * here again). `src/main.ts` runs it; tests start this same declaration.
 */
export const webBff = defineConnectService({
  name: "web-bff",
  configShape: webBffConfigShape,
  callers: "workloads",
  listenOn: (config) => ({ host: config.WEB_BFF_HOST, port: config.WEB_BFF_PORT }),
  // The profile cache (and its NATS connection, when NATS_URL is set) is closed with the
  // clients, after HTTP has drained.
  upstreams: ({ topology, identity, config, logger }) => {
    const clients = createBackendClients(topology, identity);
    const profiles = createProfileCache({ users: clients.users, config, logger });
    return {
      ...clients,
      profiles,
      async close() {
        await profiles.close();
        clients.close();
      },
    };
  },
  // No backend is a readiness check: the BFF exists to answer (degraded) while one is down, so
  // taking it out of rotation then would turn a missing section into a missing page.
  readinessChecks: () => ({}),
  routes: ({ users, orders, profiles }, { config, logger }) => {
    const screens = {
      users,
      orders,
      logger,
      budgetMs: config.DASHBOARD_BUDGET_MS,
      recentOrders: config.RECENT_ORDERS,
    };
    return webServiceRoutes({
      dashboard: createDashboardScreen({ ...screens, profiles }),
      orderPage: createOrderPageScreen(screens),
    });
  },
});

import type { GetDashboardResponse } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { useScreenData } from "../api/use-screen-data.js";
import { useAppServices } from "../app-services.js";
import { DateTime } from "../components/date-time.js";
import { DegradedNotice } from "../components/degraded-notice.js";
import { FailureMessage } from "../components/failure-message.js";
import { OrderStatusBadge } from "../components/order-status.js";
import { AppLink } from "../navigation/app-link.js";
import { paths } from "../navigation/routes.js";
import { formatMoney } from "../orders/decimal-money.js";

/** The dashboard: one BFF call; each section that came back degraded says so in place. */
export function DashboardScreen() {
  const { api } = useAppServices();
  const { data, reload } = useScreenData("dashboard", (signal) =>
    api.web.getDashboard({}, { signal }),
  );
  return (
    <main>
      <div className="heading-row">
        <h1>Your dashboard</h1>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </div>
      {data.state === "loading" && <p role="status">Loading…</p>}
      {data.state === "failed" && <FailureMessage failure={data.failure} onRetry={reload} />}
      {data.state === "loaded" && <Dashboard dashboard={data.value} />}
    </main>
  );
}

function Dashboard({ dashboard }: { dashboard: GetDashboardResponse }) {
  const degraded = (section: string) =>
    dashboard.degradedSections.find((d) => d.section === section)?.reason;
  const profileDegraded = degraded("profile");
  const ordersDegraded = degraded("orders");
  const statsDegraded = degraded("order_stats");
  const { profile, orderStats } = dashboard;
  return (
    <div className="sections">
      <section
        aria-labelledby="profile-heading"
        data-section="profile"
        data-degraded={profileDegraded ? "true" : undefined}
      >
        <h2 id="profile-heading">Profile</h2>
        {profileDegraded || !profile ? (
          <DegradedNotice reason={profileDegraded ?? "no profile"} />
        ) : (
          <dl>
            <dt>Name</dt>
            <dd>{profile.displayName}</dd>
            <dt>Email</dt>
            <dd>{profile.email}</dd>
            <dt>Standing</dt>
            <dd>{profile.standing}</dd>
          </dl>
        )}
      </section>
      <section
        aria-labelledby="stats-heading"
        data-section="order_stats"
        data-degraded={statsDegraded ? "true" : undefined}
      >
        <h2 id="stats-heading">Statistics</h2>
        {statsDegraded || !orderStats ? (
          <DegradedNotice reason={statsDegraded ?? "no statistics yet"} />
        ) : (
          <dl>
            <dt>Orders</dt>
            <dd data-stat="order-count">{String(orderStats.orderCount)}</dd>
            <dt>Open orders</dt>
            <dd data-stat="open-order-count">{String(orderStats.openOrderCount)}</dd>
            <dt>Spent</dt>
            <dd data-stat="lifetime-totals">
              {orderStats.lifetimeTotals.length
                ? orderStats.lifetimeTotals.map((total) => formatMoney(total)).join(", ")
                : "—"}
            </dd>
            <dt>Last order</dt>
            <dd>
              <DateTime value={orderStats.lastOrderTime} />
            </dd>
          </dl>
        )}
      </section>
      <section
        aria-labelledby="orders-heading"
        data-section="orders"
        data-degraded={ordersDegraded ? "true" : undefined}
        className="wide"
      >
        <div className="heading-row">
          <h2 id="orders-heading">Recent orders</h2>
          <AppLink href={paths.placeOrder} className="button">
            Place an order
          </AppLink>
        </div>
        {ordersDegraded ? (
          <DegradedNotice reason={ordersDegraded} />
        ) : dashboard.recentOrders.length === 0 ? (
          <p>No orders yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Status</th>
                <th scope="col">Items</th>
                <th scope="col">Total</th>
                <th scope="col">Placed</th>
              </tr>
            </thead>
            <tbody>
              {dashboard.recentOrders.map((order) => (
                <tr key={order.orderId} data-order-id={order.orderId}>
                  <td>
                    <AppLink href={paths.order(order.orderId)}>{order.orderId.slice(0, 8)}</AppLink>
                  </td>
                  <td>
                    <OrderStatusBadge status={order.status} />
                  </td>
                  <td>{order.itemCount}</td>
                  <td>{formatMoney(order.total)}</td>
                  <td>
                    <DateTime value={order.createTime} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

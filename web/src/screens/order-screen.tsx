import type { GetOrderPageResponse } from "@switchyard/contracts/connect/switchyard/bff/web/v1/web_service_pb";
import { type FormEvent, useState } from "react";
import type { CallFailure } from "../api/call-failure.js";
import { useCallFailure } from "../api/use-call-failure.js";
import { useScreenData } from "../api/use-screen-data.js";
import { useAppServices } from "../app-services.js";
import { DateTime } from "../components/date-time.js";
import { DegradedNotice } from "../components/degraded-notice.js";
import { FailureMessage } from "../components/failure-message.js";
import { OrderStatusBadge } from "../components/order-status.js";
import { TextField } from "../components/text-field.js";
import { AppLink } from "../navigation/app-link.js";
import { paths } from "../navigation/routes.js";
import { formatMoney } from "../orders/decimal-money.js";

const cancellable = new Set(["pending", "confirmed"]);

/** One order (BFF GetOrderPage), with cancel (public API v2 CancelOrder) while it is still open. */
export function OrderScreen({ orderId }: { orderId: string }) {
  const { api } = useAppServices();
  const { data, reload } = useScreenData(`order:${orderId}`, (signal) =>
    api.web.getOrderPage({ orderId }, { signal }),
  );
  return (
    <main>
      <p>
        <AppLink href={paths.dashboard}>← Back to the dashboard</AppLink>
      </p>
      <h1>Order {orderId.slice(0, 8)}</h1>
      {data.state === "loading" && <p role="status">Loading…</p>}
      {data.state === "failed" && <FailureMessage failure={data.failure} onRetry={reload} />}
      {data.state === "loaded" && (
        <OrderPage page={data.value} orderId={orderId} onChanged={reload} />
      )}
    </main>
  );
}

function OrderPage({
  page,
  orderId,
  onChanged,
}: {
  page: GetOrderPageResponse;
  orderId: string;
  onChanged: () => void;
}) {
  const orderDegraded = page.degradedSections.find((d) => d.section === "order")?.reason;
  const customerDegraded = page.degradedSections.find((d) => d.section === "customer")?.reason;
  const { order, customer } = page;
  if (orderDegraded || !order) return <DegradedNotice reason={orderDegraded ?? "no order"} />;
  return (
    <>
      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">Summary</h2>
        <dl>
          <dt>Status</dt>
          <dd data-field="status">
            <OrderStatusBadge status={order.status} />
          </dd>
          <dt>Total</dt>
          <dd data-field="total">{formatMoney(order.total)}</dd>
          <dt>Placed</dt>
          <dd>
            <DateTime value={order.createTime} />
          </dd>
          {order.cancelReason && (
            <>
              <dt>Cancel reason</dt>
              <dd>{order.cancelReason}</dd>
            </>
          )}
          <dt>Customer</dt>
          <dd>
            {customerDegraded || !customer ? (
              <DegradedNotice reason={customerDegraded ?? "unknown"} />
            ) : (
              customer.displayName
            )}
          </dd>
        </dl>
      </section>
      <section aria-labelledby="items-heading">
        <h2 id="items-heading">Items</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Quantity</th>
              <th scope="col">Unit price</th>
              <th scope="col">Line total</th>
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              <tr key={item.sku}>
                <td>{item.sku}</td>
                <td>{item.quantity}</td>
                <td>{formatMoney(item.unitPrice)}</td>
                <td>{formatMoney(item.lineTotal)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {cancellable.has(order.status) && (
        <CancelOrderForm orderId={orderId} onCancelled={onChanged} />
      )}
    </>
  );
}

function CancelOrderForm({ orderId, onCancelled }: { orderId: string; onCancelled: () => void }) {
  const { api } = useAppServices();
  const describeFailure = useCallFailure();
  const [reason, setReason] = useState("");
  const [failure, setFailure] = useState<CallFailure>();
  const [busy, setBusy] = useState(false);

  async function cancel(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await api.orders.cancelOrder({ orderId, reason: reason.trim() });
      onCancelled();
    } catch (error) {
      setFailure(describeFailure(error));
      setBusy(false);
    }
  }

  const fields = failure?.kind === "invalid" ? failure.fields : {};
  return (
    <section aria-labelledby="cancel-heading">
      <h2 id="cancel-heading">Cancel this order</h2>
      <form onSubmit={cancel} noValidate>
        <TextField
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={fields.reason}
        />
        <FailureMessage failure={fields.reason ? undefined : failure} />
        <button type="submit" className="danger" disabled={busy}>
          {busy ? "Cancelling…" : "Cancel order"}
        </button>
      </form>
    </section>
  );
}

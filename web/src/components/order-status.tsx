/** An order status word ("pending", "cancelled", …) as a badge that does not rely on colour alone. */
export function OrderStatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{status}</span>;
}

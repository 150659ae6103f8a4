import { type FormEvent, useRef, useState } from "react";
import type { CallFailure } from "../api/call-failure.js";
import { useCallFailure } from "../api/use-call-failure.js";
import { useAppServices, useSession } from "../app-services.js";
import { FailureMessage } from "../components/failure-message.js";
import { TextField } from "../components/text-field.js";
import { useFocusFirstInvalidField } from "../components/use-focus-first-invalid-field.js";
import { navigate } from "../navigation/navigation.js";
import { paths } from "../navigation/routes.js";
import { parseDecimalAmount } from "../orders/decimal-money.js";
import { createOrderAttempts } from "../orders/order-attempt.js";

interface LineInput {
  sku: string;
  quantity: string;
  unitPrice: string;
}

const currencies = ["EUR", "USD", "GBP", "JPY"];
const emptyLine: LineInput = { sku: "", quantity: "1", unitPrice: "" };

/**
 * Place an order (public API v2). Exactly one order per attempt: the button is disabled while a
 * call is in flight (a double click sends once), and a retry of the same order sends the same
 * Idempotency-Key, so even a request that reached the server before failing is not repeated.
 */
export function PlaceOrderScreen() {
  const { api } = useAppServices();
  const session = useSession();
  const describeFailure = useCallFailure();
  const attempts = useRef(createOrderAttempts()).current;
  const inFlight = useRef(false);
  const [currency, setCurrency] = useState("EUR");
  const [lines, setLines] = useState<LineInput[]>([{ ...emptyLine }]);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<CallFailure>();
  const [busy, setBusy] = useState(false);
  // Local checks and the server's both mark fields; either way focus goes to the first.
  useFocusFirstInvalidField(failure ?? (Object.keys(localErrors).length ? localErrors : undefined));
  const serverErrors = failure?.kind === "invalid" ? failure.fields : {};
  const errorAt = (field: string) => localErrors[field] ?? serverErrors[field];

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    // A ref, not state: two clicks in one frame both see the state before either re-render.
    if (inFlight.current || !session) return;
    const errors = checkLines(lines);
    setLocalErrors(errors);
    if (Object.keys(errors).length) return;
    const request = {
      customerId: session.subject,
      lines: lines.map((line) => ({
        sku: line.sku.trim(),
        quantity: Number(line.quantity),
        unitPrice: { currencyCode: currency, ...parseDecimalAmount(line.unitPrice) },
      })),
    };
    const idempotencyKey = attempts.keyFor(request);
    inFlight.current = true;
    setBusy(true);
    setFailure(undefined);
    try {
      const { order } = await api.orders.placeOrder(request, {
        headers: { "Idempotency-Key": idempotencyKey },
      });
      attempts.completed();
      navigate(paths.order(order?.orderId ?? ""), { replace: true });
    } catch (error) {
      setFailure(describeFailure(error));
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  }

  const update = (index: number, key: keyof LineInput, value: string) =>
    setLines(lines.map((line, i) => (i === index ? { ...line, [key]: value } : line)));
  const generalFailure =
    failure?.kind === "invalid" && Object.keys(failure.fields).every((f) => isLineField(f))
      ? undefined
      : failure;

  return (
    <main>
      <h1>Place an order</h1>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="currency">Currency</label>
          <select id="currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {currencies.map((code) => (
              <option key={code}>{code}</option>
            ))}
          </select>
        </div>
        {lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their position, which is also what the server's field paths (lines[i]) name.
          <fieldset key={index} className="order-line">
            <legend>Line {index + 1}</legend>
            <TextField
              label="Product code (SKU)"
              value={line.sku}
              onChange={(e) => update(index, "sku", e.target.value)}
              error={errorAt(`lines[${index}].sku`)}
              autoComplete="off"
            />
            <TextField
              label="Quantity"
              inputMode="numeric"
              value={line.quantity}
              onChange={(e) => update(index, "quantity", e.target.value)}
              error={errorAt(`lines[${index}].quantity`)}
            />
            <TextField
              label={`Unit price (${currency})`}
              inputMode="decimal"
              value={line.unitPrice}
              onChange={(e) => update(index, "unitPrice", e.target.value)}
              error={
                errorAt(`lines[${index}].unit_price`) ??
                errorAt(`lines[${index}].unit_price.currency_code`)
              }
            />
            {lines.length > 1 && (
              <button
                type="button"
                className="secondary"
                onClick={() => setLines(lines.filter((_, i) => i !== index))}
              >
                Remove line {index + 1}
              </button>
            )}
          </fieldset>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => setLines([...lines, { ...emptyLine }])}
        >
          Add a line
        </button>
        <FailureMessage failure={generalFailure} onRetry={() => void submit()} />
        <button type="submit" disabled={busy}>
          {busy ? "Placing the order…" : "Place order"}
        </button>
      </form>
    </main>
  );
}

function isLineField(field: string): boolean {
  return /^lines\[\d+\]\.(sku|quantity|unit_price)/.test(field);
}

// The server checks everything again; these checks only save a round trip for obvious slips.
function checkLines(lines: LineInput[]): Record<string, string> {
  const errors: Record<string, string> = {};
  lines.forEach((line, index) => {
    if (!line.sku.trim()) errors[`lines[${index}].sku`] = "Enter a product code.";
    if (!/^\d+$/.test(line.quantity.trim()) || Number(line.quantity) < 1)
      errors[`lines[${index}].quantity`] = "Enter a whole number of at least 1.";
    if (!parseDecimalAmount(line.unitPrice))
      errors[`lines[${index}].unit_price`] = "Enter a price like 12.50.";
  });
  return errors;
}

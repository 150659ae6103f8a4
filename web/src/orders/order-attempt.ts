/**
 * One Idempotency-Key per attempt to place an order: a retry of the same order (same content)
 * sends the same key, so the gateway replays the first result instead of placing a second
 * order; changing the order makes it a new attempt with a new key.
 */
export interface OrderAttempts {
  /** The key for submitting `content` (a description of the order: JSON values and bigints). */
  keyFor(content: unknown): string;
  /** The order was placed: the next submit is a new attempt even with the same content. */
  completed(): void;
}

export function createOrderAttempts(
  newKey: () => string = () => crypto.randomUUID(),
): OrderAttempts {
  let current: { key: string; content: string } | undefined;
  return {
    keyFor(content) {
      const serialised = JSON.stringify(content, (_, value) =>
        typeof value === "bigint" ? `${value}n` : value,
      );
      if (current?.content !== serialised) current = { key: newKey(), content: serialised };
      return current.key;
    },
    completed() {
      current = undefined;
    },
  };
}

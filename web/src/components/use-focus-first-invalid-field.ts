import { useEffect } from "react";

/**
 * After a submit the server refused, moves focus to the first field marked invalid, so keyboard
 * and screen-reader users land on the message instead of searching for it.
 */
export function useFocusFirstInvalidField(failure: unknown): void {
  useEffect(() => {
    if (!failure) return;
    document.querySelector<HTMLElement>('main [aria-invalid="true"]')?.focus();
  }, [failure]);
}

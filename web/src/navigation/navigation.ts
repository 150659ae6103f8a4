import { useSyncExternalStore } from "react";

// A router the size of the app: five screens need no library. Paths are real URLs (the static
// server answers index.html for them), so reloading and sharing an order link work.

const listeners = new Set<() => void>();

/** Goes to `path` in the app without reloading the page. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

/** The current path; re-renders on navigation and on the back/forward buttons. */
export function useLocationPath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

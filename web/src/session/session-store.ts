import { type AccessTokenClaims, readAccessTokenClaims } from "./access-token.js";

/** The signed-in user: their access token and who it names. */
export interface Session extends AccessTokenClaims {
  accessToken: string;
}

/** Holds the session for the tab (sessionStorage: a reload keeps it, closing the tab ends it). */
export interface SessionStore {
  current(): Session | undefined;
  /** Signs in with a token; false when it is not a JWT with a subject. */
  signIn(accessToken: string): boolean;
  signOut(): void;
  subscribe(listener: () => void): () => void;
}

const storageKey = "switchyard.accessToken";

export function createSessionStore(storage: Storage): SessionStore {
  const listeners = new Set<() => void>();
  let session = sessionFrom(storage.getItem(storageKey));
  const changed = () => {
    for (const listener of listeners) listener();
  };
  return {
    current: () => session,
    signIn(accessToken) {
      const next = sessionFrom(accessToken);
      if (!next) return false;
      storage.setItem(storageKey, next.accessToken);
      session = next;
      changed();
      return true;
    },
    signOut() {
      storage.removeItem(storageKey);
      session = undefined;
      changed();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function sessionFrom(token: string | null): Session | undefined {
  if (!token) return undefined;
  const claims = readAccessTokenClaims(token);
  return claims ? { accessToken: token.trim(), ...claims } : undefined;
}

import { createContext, useContext, useSyncExternalStore } from "react";
import type { ApiClients } from "./api/clients.js";
import type { Session, SessionStore } from "./session/session-store.js";

/** What every screen needs, handed down from main.tsx (no module-level singletons). */
export interface AppServices {
  api: ApiClients;
  sessions: SessionStore;
}

export const AppServicesContext = createContext<AppServices | undefined>(undefined);

export function useAppServices(): AppServices {
  const services = useContext(AppServicesContext);
  if (!services) throw new Error("useAppServices outside <AppServicesContext.Provider>");
  return services;
}

export function useSession(): Session | undefined {
  const { sessions } = useAppServices();
  return useSyncExternalStore(sessions.subscribe, sessions.current);
}

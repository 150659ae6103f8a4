import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createApiClients } from "./api/clients.js";
import { App } from "./app.js";
import { AppServicesContext } from "./app-services.js";
import { createSessionStore } from "./session/session-store.js";
import "./styles.css";

// Composition root: the session, the API clients on this page's origin, the app.
const sessions = createSessionStore(window.sessionStorage);
const api = createApiClients({
  baseUrl: window.location.origin,
  accessToken: () => sessions.current()?.accessToken,
});
const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <AppServicesContext.Provider value={{ api, sessions }}>
      <App />
    </AppServicesContext.Provider>
  </StrictMode>,
);

import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

// Two builds from one source (see package.json):
// - `production`: static files for any web server; the dev sign-in is compiled OUT.
// - `devstack`: what `npm start` serves; adds the dev-only sign-in (the devstack's token endpoint
//   and a paste-your-token box).
// `npm run dev -w web` (mode devstack) proxies API calls to a running devstack's web server.
export default defineConfig(({ mode }) => {
  const portOffset = Number(process.env.DEVSTACK_PORT_OFFSET ?? "0");
  const devstackWeb = `http://127.0.0.1:${8090 + portOffset}`;
  return {
    plugins: [react()],
    define: { __DEV_SIGN_IN__: JSON.stringify(mode !== "production") },
    // Generated clients come from @switchyard/contracts' TypeScript sources, like every test.
    resolve: { conditions: ["switchyard-source", ...defaultClientConditions] },
    build: { emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 600 },
    server: {
      proxy: { "^/(switchyard\\.|dev/)": { target: devstackWeb, changeOrigin: false } },
    },
  };
});

import { endUserAuthConfigShape } from "@switchyard/end-user-auth";
import { topologyConfigShape } from "@switchyard/topology";
import { workloadIdentityConfigShape } from "@switchyard/workload-identity";
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);

/** Everything web-bff reads from its environment, parsed once in main.ts. */
export const webBffConfigShape = {
  WEB_BFF_HOST: z.string().default("127.0.0.1"),
  /** 0 asks the OS for a free port (tests). */
  WEB_BFF_PORT: port.default(8081),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How long in-flight requests may finish after SIGTERM before connections are cut. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * The whole time a screen call may spend waiting on backends. Sections still missing when it
   * runs out are sent as degraded: the page arrives on time, incomplete, rather than late.
   */
  DASHBOARD_BUDGET_MS: z.coerce.number().int().min(1).max(60_000).default(800),
  /** How many orders the dashboard lists. */
  RECENT_ORDERS: z.coerce.number().int().min(1).max(100).default(5),
  ...topologyConfigShape,
  /** mTLS files (or MESH_MODE=linkerd) for calling the services. */
  ...workloadIdentityConfigShape,
  /**
   * End users' access tokens, verified here too (the gateway relays the token): the hop from the
   * gateway is not mTLS, so the BFF believes no identity it did not check itself.
   */
  ...endUserAuthConfigShape,
};

export type WebBffConfig = z.infer<z.ZodObject<typeof webBffConfigShape>>;

import { z } from "zod";

/**
 * The admin port Kubernetes gives every pod (mesh/base/config/*.env, the `metrics` container port):
 * the Prometheus exporter's registered port.
 */
export const defaultAdminPort = 9464;

/**
 * Config keys of the admin HTTP server that serves `/metrics`; spread into both hosts' config
 * shapes. Its own port, so scraping never competes with (or is exposed like) the API port.
 */
export const metricsConfigShape = {
  /** 127.0.0.1 locally; 0.0.0.0 in Kubernetes so Prometheus can scrape the pod. */
  ADMIN_HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * 0 (the default) asks the OS for a free port, named in the "listening" log line: tests and
   * drills start many processes of one deployable side by side. The devstack (9461-9464) and
   * Kubernetes (9464) set a fixed port where a scraper must find it.
   */
  ADMIN_PORT: z.coerce.number().int().min(0).max(65535).default(0),
} satisfies z.ZodRawShape;

export type MetricsConfig = z.infer<z.ZodObject<typeof metricsConfigShape>>;

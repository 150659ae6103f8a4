import { z } from "zod";

const filePath = z.string().min(1);

/**
 * Config keys of a workload's transport security; spread into the service's config shape.
 * TLS_* hold file PATHS (the *_FILE convention: the key is a mounted secret that never enters the
 * config object or a log line, and the files are re-read to pick up renewed certificates).
 * MESH_MODE=linkerd leaves mTLS to the Linkerd proxy: plaintext gRPC, caller from l5d-client-id.
 */
export const workloadIdentityConfigShape = {
  MESH_MODE: z.enum(["off", "linkerd"]).default("off"),
  /** PEM bundle of the CA(s) that sign peer certificates. */
  TLS_CA_FILE: filePath.optional(),
  /** PEM certificate of this workload (URI SAN spiffe://switchyard.local/ns/switchyard/sa/<workload>). */
  TLS_CERT_FILE: filePath.optional(),
  /** PEM private key of TLS_CERT_FILE. */
  TLS_KEY_FILE: filePath.optional(),
  /** How often the TLS files are re-read for renewed certificates. */
  TLS_RELOAD_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
} satisfies z.ZodRawShape;

export interface WorkloadIdentityConfig {
  MESH_MODE: "off" | "linkerd";
  TLS_CA_FILE?: string | undefined;
  TLS_CERT_FILE?: string | undefined;
  TLS_KEY_FILE?: string | undefined;
  TLS_RELOAD_INTERVAL_MS: number;
}

import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * Where `npm start` writes a service role's database URL: `<state dir>/secrets/<prefix>_<service
 * with underscores>.database-url`, the state dir being DEVSTACK_DIR or `.devstack`, the prefix
 * DEVSTACK_NAME_PREFIX or `switchyard` (tools/devstack: devstack-settings.ts,
 * service-database-secret.ts).
 */
export function devstackDatabaseUrlFile(
  service: string,
  env: Record<string, string | undefined>,
): string {
  const stateDir = env.DEVSTACK_DIR || join(repositoryRoot, ".devstack");
  const prefix = env.DEVSTACK_NAME_PREFIX || "switchyard";
  return join(stateDir, "secrets", `${prefix}_${service.replaceAll("-", "_")}.database-url`);
}

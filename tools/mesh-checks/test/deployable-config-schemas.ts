import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ConfigSchema } from "../src/checks/config-keys.js";
import { repositoryRoot } from "../src/ci-workflows.js";

/** Where each deployable declares its config schema: file and export. */
const schemaModules = {
  "user-service": ["services/user-service/src/config.ts", "userServiceConfigShape"],
  "order-service": ["services/order-service/src/config.ts", "orderServiceConfigShape"],
  gateway: ["gateway/src/config.ts", "gatewayConfigShape"],
  "web-bff": ["bff/web-bff/src/config.ts", "webBffConfigShape"],
} as const;

/**
 * The deployables' config schemas, loaded from their sources at test time (their packages export
 * only `./testing`). The deployables are devDependencies of this package so that turbo and the
 * CI path filters rerun these checks when a config schema changes.
 */
export async function loadDeployableConfigSchemas(): Promise<Map<string, ConfigSchema>> {
  const schemas = new Map<string, ConfigSchema>();
  for (const [deployable, [file, exported]] of Object.entries(schemaModules)) {
    const module = (await import(pathToFileURL(join(repositoryRoot, file)).href)) as Record<
      string,
      ConfigSchema | undefined
    >;
    const schema = module[exported];
    if (!schema) throw new Error(`${file} does not export ${exported}`);
    schemas.set(deployable, schema);
  }
  return schemas;
}

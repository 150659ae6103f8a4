import { beforeAll, describe, expect, it } from "vitest";
import { type ConfigSchema, configKeysMatchSchemas } from "../src/checks/config-keys.js";
import { overlayNames } from "../src/render-overlay.js";
import { loadDeployableConfigSchemas } from "./deployable-config-schemas.js";
import { renderedOverlay } from "./rendered.js";
import { find } from "./support.js";

describe("config keys in the manifests are the deployables' config keys", () => {
  let schemas: Map<string, ConfigSchema>;
  beforeAll(async () => {
    schemas = await loadDeployableConfigSchemas();
  });

  it.each(overlayNames)(
    "mesh/overlays/%s sets only keys the config schemas read, and every required one",
    (name) => {
      expect(configKeysMatchSchemas(schemas).run(renderedOverlay(name))).toEqual([]);
    },
  );

  it("fails on a misspelt key and on a missing required key", () => {
    const overlay = renderedOverlay("prod");
    const data = find(overlay.manifests, "ConfigMap", "gateway-config").data as Record<
      string,
      string
    >;
    data.JWT_ISSUR = data.JWT_ISSUER ?? "";
    delete data.JWT_ISSUER;
    const problems = configKeysMatchSchemas(schemas)
      .run(overlay)
      .map((finding) => `${finding.object}: ${finding.problem}`);
    expect(problems).toEqual([
      "Deployment/gateway container gateway: JWT_ISSUR is not a config key of gateway",
      "Deployment/gateway container gateway: JWT_ISSUER is required by the config schema but not set",
    ]);
  });
});

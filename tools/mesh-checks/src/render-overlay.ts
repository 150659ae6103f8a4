import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import type { Manifest, RenderedOverlay } from "./manifest.js";

/** mesh/ at the repository root. */
export const meshDirectory = fileURLToPath(new URL("../../../mesh", import.meta.url));

/** The overlays a deployment is made from, each rendered and checked in tests. */
export const overlayNames = ["dev", "prod"] as const;

/** Thrown when kubectl is missing or kustomize rejects an overlay. */
export class RenderError extends Error {
  override name = "RenderError";
}

/**
 * Renders mesh/overlays/<name> with `kubectl kustomize` (kustomize v5 built into kubectl; no
 * cluster is contacted) and parses every object.
 */
export function renderOverlay(name: string, kubectl = "kubectl"): RenderedOverlay {
  const directory = join(meshDirectory, "overlays", name);
  let output: string;
  try {
    output = execFileSync(kubectl, ["kustomize", directory], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === "ENOENT") {
      throw new RenderError(
        `kubectl is not installed (or not on PATH): the mesh checks render the overlays with ` +
          "`kubectl kustomize` (kubectl v1.27+, kustomize v5). Install kubectl: " +
          "https://kubernetes.io/docs/tasks/tools/",
      );
    }
    throw new RenderError(
      `kubectl kustomize mesh/overlays/${name} failed: ${failure.stderr?.trim() || failure.message}`,
    );
  }
  const manifests: Manifest[] = [];
  for (const document of parseAllDocuments(output)) {
    if (document.errors.length > 0) {
      throw new RenderError(`mesh/overlays/${name} rendered invalid YAML: ${document.errors[0]}`);
    }
    const value = document.toJS() as Manifest | null;
    if (value) manifests.push(value);
  }
  return { name, manifests };
}

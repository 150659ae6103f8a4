import type { TestProject } from "vitest/node";
import type { RenderedOverlay } from "../src/manifest.js";
import { overlayNames, renderOverlay } from "../src/render-overlay.js";

declare module "vitest" {
  export interface ProvidedContext {
    renderedOverlays: RenderedOverlay[];
  }
}

/** Renders each overlay once per run (kubectl kustomize); test files `inject` the result. */
export default function setup(project: TestProject): void {
  project.provide(
    "renderedOverlays",
    overlayNames.map((name) => renderOverlay(name)),
  );
}

import { inject } from "vitest";
import { cloneManifests, type RenderedOverlay } from "../src/manifest.js";

/** A private copy of the overlay rendered by the global setup (tests may break it freely). */
export function renderedOverlay(name: string): RenderedOverlay {
  const overlay = inject("renderedOverlays").find((candidate) => candidate.name === name);
  if (!overlay) throw new Error(`overlay ${name} was not rendered by the global setup`);
  return { name: overlay.name, manifests: cloneManifests(overlay.manifests) };
}

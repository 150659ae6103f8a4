export { type DeploymentCheck, deploymentChecks } from "./checks/index.js";
export type { Finding, Manifest, RenderedOverlay } from "./manifest.js";
export { overlayNames, RenderError, renderOverlay } from "./render-overlay.js";
export { validateAgainstSchemas } from "./schema-validation.js";

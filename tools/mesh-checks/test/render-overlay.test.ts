import { describe, expect, it } from "vitest";
import { RenderError, renderOverlay } from "../src/render-overlay.js";

describe("renderOverlay", () => {
  it("says what to install when kubectl is missing", () => {
    expect(() => renderOverlay("dev", "/nonexistent/kubectl")).toThrow(RenderError);
    expect(() => renderOverlay("dev", "/nonexistent/kubectl")).toThrow(/kubectl is not installed/);
  });

  it("names the overlay and kustomize's reason when rendering fails", () => {
    expect(() => renderOverlay("no-such-overlay")).toThrow(
      /kubectl kustomize mesh\/overlays\/no-such-overlay failed: .*no-such-overlay/,
    );
  });
});

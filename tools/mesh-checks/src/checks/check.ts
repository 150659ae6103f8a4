import type { Finding, RenderedOverlay } from "../manifest.js";

/** One deployment rule, run on every rendered overlay. */
export interface DeploymentCheck {
  /** Short id, used in findings and test names. */
  id: string;
  /** What must hold, as a sentence. */
  rule: string;
  run(overlay: RenderedOverlay): Finding[];
}

/** A finding builder bound to one check. */
export function findingsOf(check: string) {
  const findings: Finding[] = [];
  return {
    findings,
    add(object: string, problem: string) {
      findings.push({ check, object, problem });
    },
  };
}

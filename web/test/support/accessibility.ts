import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core (WCAG 2.x A/AA rules) in the page; returns its serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeSource });
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is a global the injected script defines.
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
      },
    });
    return result.violations as AxeViolation[];
  });
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(", ")})`,
    );
}

/**
 * Presses Tab until focus comes back around and says which visible controls (links, buttons,
 * inputs, selects) it never reached.
 */
export async function controlsNotReachedByKeyboard(page: Page): Promise<string[]> {
  const controls = await page.$$eval("a[href], button, input, select, textarea", (elements) =>
    elements
      .filter(
        (element) =>
          (element as HTMLElement).offsetParent !== null &&
          !(element as HTMLButtonElement).disabled,
      )
      .map((element, index) => {
        element.setAttribute("data-control-index", String(index));
        return `${element.tagName.toLowerCase()} "${(element.textContent || element.getAttribute("aria-label") || element.id).trim()}"`;
      }),
  );
  const reached = new Set<string>();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let press = 0; press < controls.length + 5; press++) {
    await page.keyboard.press("Tab");
    const index = await page.evaluate(
      () => document.activeElement?.getAttribute("data-control-index") ?? "",
    );
    if (index) reached.add(index);
  }
  return controls.filter((_, index) => !reached.has(String(index)));
}

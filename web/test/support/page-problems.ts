import type { Page } from "playwright-core";

/**
 * Collects what a person would see in the developer console: console errors and uncaught page
 * errors. Chromium also logs every HTTP error response of a fetch ("Failed to load resource: …
 * status of 400"); a test that provokes one on purpose names its status in `expectedStatuses`.
 */
export function watchPageProblems(page: Page): { problems(expectedStatuses?: number[]): string[] } {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") seen.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => seen.push(`page error: ${error.message}`));
  return {
    problems: (expectedStatuses = []) =>
      seen.filter(
        (problem) =>
          !expectedStatuses.some((status) =>
            problem.includes(
              `Failed to load resource: the server responded with a status of ${status}`,
            ),
          ),
      ),
  };
}

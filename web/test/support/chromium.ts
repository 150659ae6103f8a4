import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

// Debian's package (what .ci/run installs) first; CHROMIUM_PATH when running vitest directly
// (turbo passes only the variables turbo.json lists to tests).
const knownLocations = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The Chromium the browser tests drive: CHROMIUM_PATH, else the first known location present. */
export const chromiumPath =
  process.env.CHROMIUM_PATH ||
  knownLocations.find((path) => existsSync(path)) ||
  "/usr/bin/chromium";

/**
 * Why the browser tests cannot run here, or undefined when they can. Only outside CI: in CI a
 * missing Chromium is a failure (.ci/run installs it), never a skip.
 */
export function browserTestsSkipReason(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const message = `Chromium not found at ${chromiumPath}: install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH`;
  if (process.env.CI) throw new Error(`${message}. In CI .ci/run installs it.`);
  return message;
}

/**
 * Headless Chromium as the machine notes say it runs here: no sandbox when root, no GPU, no
 * QUIC, no background networking (the closed network refuses it). playwright-core gives every
 * launch a fresh, empty --user-data-dir of its own (and refuses the flag), and deletes it on close.
 */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningDevstack, startDevstack } from "@switchyard/devstack/testing";
import { uniqueName } from "@switchyard/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  controlsNotReachedByKeyboard,
  seriousAccessibilityViolations,
} from "./support/accessibility.js";
import { placeOrder, signInWithDevToken, signUp, waitForOrderCount } from "./support/app-driver.js";
import { browserTestsSkipReason, launchChromium } from "./support/chromium.js";
import { watchPageProblems } from "./support/page-problems.js";

// The web app in a real browser (Debian's Chromium via playwright-core) against a REAL stack:
// the devstack exactly as `npm start` runs it (built web app, gateway, web-bff, both services,
// Postgres, NATS), on its own ports and database names.
const skipReason = browserTestsSkipReason();
if (skipReason) console.warn(`browser tests skipped: ${skipReason}`);
const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
// UPDATE_SCREENSHOTS=1 refreshes the README's screenshot; otherwise it goes to a temp dir.
const screenshotDir = process.env.UPDATE_SCREENSHOTS
  ? join(repositoryRoot, "docs", "images")
  : join(tmpdir(), "switchyard-web-screenshots");

describe.skipIf(skipReason)("the web app in Chromium", () => {
  let devstack: RunningDevstack;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  let pageProblems: ReturnType<typeof watchPageProblems>;
  const runName = uniqueName("web");
  let people = 0;
  const newPerson = () => ({
    email: `${runName}-${++people}@example.com`,
    givenName: "Ada",
    familyName: "Lovelace",
  });

  beforeAll(async () => {
    // Caches off: these journeys test the app and its degradation; a profile answered from
    // web-bff's cache (pattern 15) would hide a frozen user-service from the last test. Caching
    // is proven by its own tests (every replica serves an update within 200 ms).
    devstack = await startDevstack({ namePrefix: runName, env: { CACHE: "off" } });
    ({ browser, close: closeBrowser } = await launchChromium());
  }, 150_000);

  afterAll(async () => {
    await closeBrowser?.();
    await devstack?.cleanUp();
  }, 60_000);

  // A fresh browser context per test: its own session storage, so every journey starts signed out.
  const openPage = async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 720 }, locale: "en-GB" });
    page = await context.newPage();
    pageProblems = watchPageProblems(page);
  };
  afterEach(async () => {
    await context?.close();
  });

  it("sign up → sign in → place an order → it is on the dashboard with the event-fed statistics; cancel; no console errors", async () => {
    await openPage();
    const userId = await signUp(page, devstack.webAppUrl, newPerson());
    expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    await signInWithDevToken(page);
    expect(await page.locator('[data-section="profile"]').textContent()).toContain(
      `${runName}-1@example.com`,
    );

    const first = await placeOrder(page, { sku: "TEA-1", quantity: 2, unitPrice: "12.50" });
    expect(await page.locator('[data-field="status"]').textContent()).toBe("pending");
    expect(await page.locator('[data-field="total"]').textContent()).toBe("€25.00");
    await page.getByRole("link", { name: "← Back to the dashboard" }).click();
    await page.locator(`tr[data-order-id="${first}"]`).waitFor();
    await waitForOrderCount(page, 1);
    expect(await page.locator('[data-stat="lifetime-totals"]').textContent()).toBe("€25.00");

    const second = await placeOrder(page, { sku: "COFFEE-2", quantity: 1, unitPrice: "7.90" });
    await page.getByLabel("Reason").fill("ordered by mistake");
    await page.getByRole("button", { name: "Cancel order" }).click();
    await page.locator('[data-field="status"]', { hasText: "cancelled" }).waitFor();
    await page.getByRole("link", { name: "← Back to the dashboard" }).click();
    await page.locator(`tr[data-order-id="${second}"]`, { hasText: "cancelled" }).waitFor();
    await waitForOrderCount(page, 2);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, "dashboard.png") });
    expect(pageProblems.problems()).toEqual([]);
  }, 90_000);

  it("a double click on Place order places exactly one order, with one idempotency key", async () => {
    await openPage();
    await signUp(page, devstack.webAppUrl, newPerson());
    await signInWithDevToken(page);
    const keys: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/switchyard.edge.v2.OrderService/PlaceOrder"))
        keys.push(request.headers()["idempotency-key"] ?? "(none)");
    });
    const orderId = await placeOrder(
      page,
      { sku: "TEA-1", quantity: 1, unitPrice: "3.20" },
      "dblclick",
    );
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(new Set(keys).size).toBe(1);
    await page.getByRole("link", { name: "← Back to the dashboard" }).click();
    await waitForOrderCount(page, 1);
    expect(await page.locator("tr[data-order-id]").count()).toBe(1);
    expect(await page.locator(`tr[data-order-id="${orderId}"]`).count()).toBe(1);
    expect(pageProblems.problems()).toEqual([]);
  }, 60_000);

  it("a retry after a timeout (order-service frozen) sends the same idempotency key and leaves one order", async () => {
    await openPage();
    await signUp(page, devstack.webAppUrl, newPerson());
    await signInWithDevToken(page);
    const keys: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/switchyard.edge.v2.OrderService/PlaceOrder"))
        keys.push(request.headers()["idempotency-key"] ?? "(none)");
    });
    await page.getByRole("link", { name: "Place an order" }).first().click();
    await page.getByLabel("Product code (SKU)").fill("TEA-1");
    await page.getByLabel(/Unit price/).fill("5.00");
    // order-service frozen: the request reaches its socket, the gateway's deadline (5 s) runs out.
    const orderService = devstack.pidOf("order-service");
    process.kill(orderService, "SIGSTOP");
    try {
      await page.getByRole("button", { name: "Place order" }).click();
      await page
        .getByText("The service did not answer in time. Try again.")
        .waitFor({ timeout: 20_000 });
    } finally {
      process.kill(orderService, "SIGCONT");
    }
    await page.getByRole("button", { name: "Try again" }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    await page.getByRole("link", { name: "← Back to the dashboard" }).click();
    await waitForOrderCount(page, 1);
    expect(await page.locator("tr[data-order-id]").count()).toBe(1);
    expect(pageProblems.problems([504])).toEqual([]);
  }, 90_000);

  it("shows the gateway's validation messages at their fields (google.rpc.BadRequest)", async () => {
    await openPage();
    await page.goto(`${devstack.webAppUrl}/sign-up`);
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Given name").fill("Ada");
    await page.getByLabel("Family name").fill("Lovelace");
    await page.getByRole("button", { name: "Sign up" }).click();
    const email = page.getByLabel("Email");
    await page.locator('input[aria-invalid="true"]').waitFor();
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    const emailError = await page
      .locator(`#${(await email.getAttribute("aria-describedby"))?.split(" ").pop()}`)
      .textContent();
    expect(emailError).toMatch(/email/i);

    await signUp(page, devstack.webAppUrl, newPerson());
    await signInWithDevToken(page);
    await page.getByRole("link", { name: "Place an order" }).first().click();
    await page.getByLabel("Product code (SKU)").fill("TEA-1");
    await page.getByLabel(/Unit price/).fill("0.001");
    await page.getByRole("button", { name: "Place order" }).click();
    const price = page.getByLabel(/Unit price/);
    await page.locator('input[aria-invalid="true"]').waitFor();
    expect(await price.getAttribute("aria-invalid")).toBe("true");
    expect(page.url()).toMatch(/\/orders\/new$/);
    expect(pageProblems.problems([400])).toEqual([]);
  }, 60_000);

  it("a token the gateway refuses (401) ends the session and goes to sign-in", async () => {
    await openPage();
    await page.goto(`${devstack.webAppUrl}/sign-in`);
    // A well-formed JWT with a subject, signed by nobody the gateway trusts.
    const forged = [
      "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9",
      Buffer.from(
        JSON.stringify({ sub: "00000000-0000-4000-8000-000000000001", exp: 4102444800 }),
      ).toString("base64url"),
      "c2lnbmF0dXJl",
    ].join(".");
    await page.getByLabel("Or paste an access token").fill(forged);
    await page.getByRole("button", { name: "Sign in with this token" }).click();
    await page.waitForURL(/\/sign-in\?expired=1$/);
    await page.getByText("Your session has ended. Sign in again.").waitFor();
    expect(pageProblems.problems([401])).toEqual([]);
  }, 60_000);

  it("every screen: controls labelled and reachable by keyboard, no serious axe violations", async () => {
    await openPage();
    const screens: Record<string, string[]> = {};
    const check = async (name: string) => {
      screens[name] = [
        ...(await seriousAccessibilityViolations(page)),
        ...(await controlsNotReachedByKeyboard(page)).map((c) => `not reachable by Tab: ${c}`),
      ];
    };
    await page.goto(`${devstack.webAppUrl}/sign-up`);
    await check("sign-up");
    await signUp(page, devstack.webAppUrl, newPerson());
    await check("sign-in");
    await signInWithDevToken(page);
    await check("dashboard (empty)");
    const orderId = await placeOrder(page, { sku: "TEA-1", quantity: 3, unitPrice: "2.00" });
    await check("order");
    await page.getByRole("link", { name: "Place an order" }).first().click();
    await page.getByRole("heading", { name: "Place an order" }).waitFor();
    await check("place order");
    await page.goto(`${devstack.webAppUrl}/`);
    await page.locator(`tr[data-order-id="${orderId}"]`).waitFor();
    await check("dashboard");
    expect(screens).toEqual(Object.fromEntries(Object.keys(screens).map((name) => [name, []])));
    expect(pageProblems.problems()).toEqual([]);
  }, 90_000);

  // Last: it freezes user-service (SIGSTOP: the process stops answering, its connections stay
  // open) for the length of one dashboard load, then lets it run again.
  it("with user-service not answering, the dashboard still renders: the profile section is degraded, orders are there", async () => {
    await openPage();
    await signUp(page, devstack.webAppUrl, newPerson());
    await signInWithDevToken(page);
    const orderId = await placeOrder(page, { sku: "TEA-1", quantity: 1, unitPrice: "4.00" });
    const userService = devstack.pidOf("user-service");
    process.kill(userService, "SIGSTOP");
    try {
      await page.goto(`${devstack.webAppUrl}/`);
      const profile = page.locator('[data-section="profile"][data-degraded="true"]');
      await profile.waitFor({ timeout: 15_000 });
      expect(await profile.textContent()).toMatch(
        /Not available right now: (timed out|the profile is temporarily unavailable)/,
      );
      await page.locator(`tr[data-order-id="${orderId}"]`).waitFor();
      expect(await page.getByRole("alert").count()).toBe(0);
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, "dashboard-degraded.png") });
    } finally {
      process.kill(userService, "SIGCONT");
    }
    expect(pageProblems.problems()).toEqual([]);
  }, 60_000);
});

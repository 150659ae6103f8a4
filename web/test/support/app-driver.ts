import type { Page } from "playwright-core";

// What a person does in the app, as steps the journeys share. Locators by role and label: if a
// control cannot be found by its label, it is not labelled.

export interface NewUser {
  email: string;
  givenName: string;
  familyName: string;
}

/** Signs up on /sign-up and returns the new user's id (the app carries it to sign-in). */
export async function signUp(page: Page, baseUrl: string, user: NewUser): Promise<string> {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Given name").fill(user.givenName);
  await page.getByLabel("Family name").fill(user.familyName);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL(/\/sign-in\?user=/);
  const userId = new URL(page.url()).searchParams.get("user");
  if (!userId) throw new Error(`sign-up did not lead to sign-in with a user id: ${page.url()}`);
  return userId;
}

/** Dev sign-in with the user id that sign-up put in the field; ends on the dashboard. */
export async function signInWithDevToken(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign in with a dev token" }).click();
  await page.getByRole("heading", { name: "Your dashboard" }).waitFor();
}

/** Fills the one-line order form and submits it with `click` (single or double); returns the order id. */
export async function placeOrder(
  page: Page,
  order: { sku: string; quantity: number; unitPrice: string },
  click: "click" | "dblclick" = "click",
): Promise<string> {
  await page.getByRole("link", { name: "Place an order" }).first().click();
  await page.getByRole("heading", { name: "Place an order" }).waitFor();
  await page.getByLabel("Product code (SKU)").fill(order.sku);
  await page.getByLabel("Quantity").fill(String(order.quantity));
  await page.getByLabel(/Unit price/).fill(order.unitPrice);
  await page.getByRole("button", { name: "Place order" })[click]();
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
  await page.getByText("Summary").waitFor();
  return decodeURIComponent(page.url().split("/orders/")[1] ?? "");
}

/** Refreshes the dashboard until the event-fed statistics count `orders` (the projection lags a little). */
export async function waitForOrderCount(
  page: Page,
  orders: number,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.getByRole("button", { name: "Refresh" }).click();
    const count = page.locator('[data-stat="order-count"]');
    await count.waitFor();
    if ((await count.textContent()) === String(orders)) return;
    if (Date.now() > deadline)
      throw new Error(
        `order statistics still say ${await count.textContent()} orders, expected ${orders}`,
      );
    await page.waitForTimeout(500);
  }
}

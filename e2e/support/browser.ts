import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { type PhoenixServer, startPhoenixServer } from "./server";

/**
 * Debian's Chromium with the flags that work on these machines (closed network, no GPU, root).
 * Playwright gives every launch a fresh temporary profile of its own.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
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

let current: { browser: Browser; closeBrowser: () => Promise<void>; server: PhoenixServer } | undefined;

/**
 * The test file's own Phoenix server and one Chromium, started before its tests and stopped after
 * them. Returns a getter for the browser; `phoenixServer()` gives the server.
 */
export function sharedBrowser(options: { scenario?: "meeting" | "followup" } = {}): () => Browser {
  beforeAll(async () => {
    const [launched, server] = await Promise.all([launchBrowser(), startPhoenixServer(options)]);
    current = { browser: launched.browser, closeBrowser: launched.close, server };
  });
  afterAll(async () => {
    await Promise.all([current?.closeBrowser(), current?.server.stop()]);
    current = undefined;
  });
  return () => {
    if (!current) throw new Error("the browser is not launched yet");
    return current.browser;
  };
}

/** The Phoenix server of this test file (see sharedBrowser). */
export function phoenixServer(): PhoenixServer {
  if (!current) throw new Error("the Phoenix server is not started yet");
  return current.server;
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ baseURL: phoenixServer().baseUrl, viewport: { width: 1280, height: 800 } });
}

/** Signs in through the real form and waits for the shell. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByTestId("current-user").waitFor();
}

export function demoPassword(role: "viewer" | "operator" | "admin"): string {
  const password = phoenixServer().passwords[role];
  if (!password) throw new Error(`no demo password for ${role}`);
  return password;
}

/** The text of an element once it appears (bounded wait, so a missing element fails fast and clearly). */
export async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor({ timeout: 30_000 });
  return (await locator.textContent()) ?? "";
}

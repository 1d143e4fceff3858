import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** The stack's front door (SPA + API on one origin). */
export const baseUrl = (): string => inject('baseUrl');

/** Debian's Chromium, headless, with the flags that keep it quiet and fast in a container. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };

/** A fresh browser context (own cookies) on the stack, failing the test on page errors. */
export async function newContext(browser: Browser, viewport = DESKTOP): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL: baseUrl(), viewport, deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  ctx.setDefaultTimeout(15_000);
  return ctx;
}

/** Collects uncaught page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Save a screenshot into the run's temp dir (and, for docs shots, also into docs/screenshots when enabled). */
export async function shot(page: Page, name: string, opts: { docs?: boolean; fullPage?: boolean; top?: boolean } = {}): Promise<string> {
  const dir = inject('shotsDir');
  if (opts.docs) {
    // Documentation shots: no transient toasts, page scrolled to the top, focus rings gone.
    for (const b of await page.getByRole('button', { name: 'Dismiss' }).all()) await b.click().catch(() => {});
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  }
  if (opts.top ?? opts.docs) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(150);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
  const docs = inject('docsShotsDir');
  if (opts.docs && docs) {
    mkdirSync(docs, { recursive: true });
    await page.screenshot({ path: path.join(docs, `${name}.png`), fullPage: opts.fullPage ?? false });
  }
  return file;
}

/** Sign in through the login page and wait until the app has left it. */
export async function signInUi(page: Page, email: string, password: string, redirect?: string): Promise<void> {
  await page.goto(`/login${redirect ? `?redirect=${encodeURIComponent(redirect)}` : ''}`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

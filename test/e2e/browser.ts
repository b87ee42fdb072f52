/** Debian's Chromium driven by playwright-core, and the page helpers the scenarios share. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';
export const screenshotDirectory = join(process.cwd(), 'test-results', 'screenshots');

/**
 * Launches Chromium; with `fakeCamera`, the camera is allowed without asking and shows that
 * Y4M file (see fake-camera.ts), looped.
 */
export async function launchBrowser(options: { fakeCamera?: string } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...(options.fakeCamera
        ? [
            '--use-fake-ui-for-media-stream',
            '--use-fake-device-for-media-stream',
            `--use-file-for-fake-video-capture=${options.fakeCamera}`,
          ]
        : []),
    ],
  });
}

/** A fresh browser profile (no cookies, no settings) at a laptop's width, or a phone's. */
export async function newContext(
  browser: Browser,
  options: { phone?: boolean; locale?: string } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: options.phone ? { width: 360, height: 740 } : { width: 1280, height: 860 },
    locale: options.locale ?? 'ar-SY',
    timezoneId: 'Asia/Damascus',
  });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Writes test-results/screenshots/<name>.png for a reviewer to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDirectory, { recursive: true });
  await page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage: true });
}

export async function signIn(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.locator('[data-testid="signed-in-as"]').waitFor({ state: 'attached' });
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /تسجيل الخروج|Sign out/u }).click();
  await page.locator('input[name="username"]').waitFor();
}

/** The data-screen keys of the menu entries shown, in order. */
export async function menuScreens(page: Page): Promise<string[]> {
  const nav = page.locator('nav#main-menu');
  return nav
    .locator('[data-screen]')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-screen') ?? ''));
}

/** Waits until the screen has loaded: no spinner in the main area and no request in flight. */
export async function settle(page: Page): Promise<void> {
  // Polled from outside: the page's content security policy forbids evaluating strings.
  await expect
    .poll(() => page.locator('#main [data-loading]').count(), { timeout: 15_000 })
    .toBe(0);
  await page.waitForLoadState('networkidle');
}

// At 360 px wide (a cheap phone) the main screens fit: no sideways scrolling of the page.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, settle, signIn } from './browser.js';
import { ensureCommodities, registerHouseholds, startServer, type E2eServer } from './server.js';

let server: E2eServer;
let browser: Browser;
let householdId: string;

beforeAll(async () => {
  server = await startServer();
  await ensureCommodities(server);
  const [household] = await registerHouseholds(server, [
    { given: 'عبد الرحمن', father: 'محمد', family: 'الشامي', size: 6 },
  ]);
  householdId = household?.id ?? '';
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('at 360 px', () => {
  it('shows sign-in and the coordinator screens without the page scrolling sideways', async () => {
    const context = await newContext(browser, { phone: true });
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/sign-in`);
    await page.getByTestId('demo-hint').waitFor();
    await screenshot(page, 'phone-sign-in');
    const login = server.logins.coordinator;
    await signIn(page, server.baseUrl, login.username, login.password);
    for (const [name, path] of [
      ['home', '/'],
      ['households', '/households'],
      ['household', `/households/${householdId}`],
      ['household-form', '/households/new'],
      ['programme', '/programmes/new'],
      ['cycles', '/cycles?new=1'],
      ['import', '/import'],
    ] as const) {
      await page.goto(`${server.baseUrl}${path}`);
      await settle(page);
      // A string, not a function: the root tsconfig has no DOM types for test code.
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
      await screenshot(page, `phone-${name}`);
    }
    // The menu opens from the burger and is reachable by keyboard.
    await page.getByRole('button', { name: 'فتح القائمة' }).click();
    await page.locator('nav#main-menu [data-screen="households"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/households$/u);
    await context.close();
  });
});

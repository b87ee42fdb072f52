// An auditor reads the audit log and a household's trail, and "verify" says the chain is intact.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, settle, signIn } from './browser.js';
import { registerHouseholds, startServer, type E2eServer } from './server.js';

let server: E2eServer;
let browser: Browser;
let householdId: string;

beforeAll(async () => {
  server = await startServer();
  const [household] = await registerHouseholds(server, [
    { given: 'ليلى', father: 'فارس', family: 'النجار', size: 2 },
  ]);
  householdId = household?.id ?? '';
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('audit', () => {
  it('lists events, shows a household trail with field names only, and verifies the chain', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.auditor;
    await signIn(page, server.baseUrl, login.username, login.password);

    await page.goto(`${server.baseUrl}/households/${householdId}`);
    await page.getByRole('tab', { name: 'سجل التدقيق' }).click();
    const trail = page.getByTestId('audit-table');
    await trail.waitFor();
    // Field names (as the form labels them), never the values: the name typed at registration
    // is not in the trail.
    await expect(trail.textContent()).resolves.toContain('الاسم');
    await expect(trail.textContent()).resolves.not.toContain('head_given_name');
    await expect(trail.textContent()).resolves.not.toContain('ليلى');

    await page.goto(`${server.baseUrl}/audit`);
    await settle(page);
    await page.getByTestId('verify-audit').click();
    await expect(page.getByTestId('verify-result').textContent()).resolves.toContain('السجل سليم');
    await screenshot(page, 'audit-verified');
    await context.close();
  });
});

// Signing in as each role shows only that role's menu; Arabic is right-to-left, English left-to-right.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayOpen, screenPermissions, type ScreenKey } from '../../web/src/lib/access.js';
import { roles } from '../../src/shared/roles.js';
import {
  launchBrowser,
  menuScreens,
  newContext,
  screenshot,
  settle,
  signIn,
  signOut,
} from './browser.js';
import { startServer, type E2eServer } from './server.js';

let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const adminScreens: ScreenKey[] = [
  'users',
  'orgUnits',
  'areas',
  'partners',
  'servicePoints',
  'tokens',
];

describe('the shell', () => {
  it.each(roles)(
    'shows %s only the screens it may open, and the API refuses none of them',
    async (role) => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('response', (response) => {
        if (response.url().includes('/api/') && response.status() === 403) {
          refused.push(`${page.url()} -> ${response.url()}`);
        }
      });
      const login = server.logins[role];
      await signIn(page, server.baseUrl, login.username, login.password);
      const shown = await menuScreens(page);
      const expected = (Object.keys(screenPermissions) as ScreenKey[]).filter((screen) =>
        mayOpen(role, screen),
      );
      for (const screen of expected) expect(shown, `${role} sees ${screen}`).toContain(screen);
      for (const screen of shown) {
        if (screen === 'settings' || screen === 'admin') continue;
        expect(expected, `${role} must not see ${screen}`).toContain(screen);
      }
      expect(shown.includes('admin')).toBe(
        adminScreens.some((screen) => expected.includes(screen)),
      );
      await expect(page.getByTestId('demo-banner').isVisible()).resolves.toBe(true);

      // Every screen in the menu opens (through the menu, as a person would) without a 403.
      for (const screen of expected) {
        await page.locator(`nav#main-menu [data-screen="${screen}"]`).click();
        await settle(page);
        if (role === 'admin') await screenshot(page, `screen-${screen}`);
      }
      if (role === 'outlet_clerk') await screenshot(page, 'menu-outlet-clerk');
      expect(refused, `${role} was refused`).toEqual([]);
      await signOut(page);
      await context.close();
    },
    120_000,
  );

  it('refuses a wrong password in Arabic', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.locator('input[name="username"]').fill(server.logins.admin.username);
    await page.locator('input[name="password"]').fill('not-the-password');
    await page.locator('button[type="submit"]').click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'اسم المستخدم أو كلمة المرور غير صحيحة',
    );
    await screenshot(page, 'sign-in-refused');
    await context.close();
  });

  it('is right-to-left in Arabic and left-to-right in English', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.coordinator;
    await signIn(page, server.baseUrl, login.username, login.password);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    await page.goto(`${server.baseUrl}/settings`);
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('ltr');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.getByRole('button', { name: 'Sign out' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'settings-english');
    await page.reload();
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    await page.getByText('العربية', { exact: true }).click();
    await expect.poll(() => page.getAttribute('html', 'dir')).toBe('rtl');
    await context.close();
  });
});

// The office app's common ground: the demo accounts on sign-in, the shipped typeface, errors
// that name the field and the rule, the calendar, plurals, the audit log's pickers and export,
// and a plain explanation for roles with nothing to do yet.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, settle, signIn } from './browser.js';
import { startServer, type E2eServer } from './server.js';

/** What the checks below read of the page (this project's types have no DOM library). */
interface PageGlobals {
  document: { fonts: { check(font: string, text: string): boolean }; body: unknown };
  getComputedStyle(element: unknown): { fontFamily: string };
}

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

describe('the office app', () => {
  it('lists the demo accounts on sign-in and fills one in; the Arabic typeface comes from this server', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const fonts: string[] = [];
    page.on('response', (response) => {
      if (/\.woff2($|\?)/u.test(response.url())) fonts.push(response.url());
    });
    await page.goto(`${server.baseUrl}/sign-in`);
    const logins = page.getByTestId('demo-logins');
    await logins.waitFor();
    await expect(logins.textContent()).resolves.toContain('موظف المنفذ');
    await logins.getByRole('button', { name: 'outlet-clerk' }).click();
    await expect(page.locator('input[name="username"]').inputValue()).resolves.toBe('outlet-clerk');
    await expect(page.locator('input[name="password"]').inputValue()).resolves.toBe(
      'awn-demo-2026',
    );
    await screenshot(page, 'sign-in-demo-accounts');

    // The face is loaded from this server and used: nothing from elsewhere, none from the system.
    await expect
      .poll(() =>
        page.evaluate(() =>
          (globalThis as unknown as PageGlobals).document.fonts.check(
            '16px "Noto Sans Arabic"',
            'عون',
          ),
        ),
      )
      .toBe(true);
    await expect.poll(() => fonts.length).toBeGreaterThan(0);
    for (const url of fonts) expect(url.startsWith(server.baseUrl)).toBe(true);
    const family = await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      return page.getComputedStyle(page.document.body).fontFamily;
    });
    expect(family).toMatch(/^"?Noto Sans Arabic/u);
    // Printed pages load the same files under fixed names.
    const printed = await page.request.get(`${server.baseUrl}/fonts/noto-sans-arabic-400.woff2`);
    expect(printed.status()).toBe(200);
    expect(printed.headers()['content-type']).toBe('font/woff2');
    await context.close();
  });

  it('names the field and the rule of a refused form, with the limit in Arabic-Indic digits', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.admin;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.goto(`${server.baseUrl}/admin/users`);
    await settle(page);
    await page.getByRole('button', { name: 'إضافة مستخدم' }).click();
    await page.getByLabel('اسم المستخدم').first().fill('short-password');
    await page.getByLabel('الاسم الظاهر').first().fill('كلمة قصيرة');
    await page.locator('input[type="password"]').fill('abc');
    await page.getByRole('button', { name: 'حفظ' }).click();
    const beside = page.getByText('كلمة المرور قصيرة: ١٠ أحرف على الأقل.').first();
    await beside.waitFor();
    await expect(page.getByText('القيمة غير صالحة.').count()).resolves.toBe(0);
    await screenshot(page, 'field-error-password');
    await context.close();
  });

  it('filters the audit log with the calendar and pickers, exports it, and counts with plurals', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.auditor;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.goto(`${server.baseUrl}/audit`);
    await settle(page);

    // Each event reads as who (name and role), what (in Arabic), which record.
    const table = page.getByTestId('audit-table');
    await expect(table.textContent()).resolves.toContain('تسجيل دخول');
    await expect(table.textContent()).resolves.toContain('E2E auditor');
    await expect(table.textContent()).resolves.toContain('المدقق');

    // The calendar is in Arabic with Arabic-Indic digits; a day range the wrong way round is
    // refused naming the field and the rule.
    await page.getByTestId('audit-from').click();
    const calendar = page.getByTestId('date-picker');
    await expect(calendar.getByTestId('date-picker-month').textContent()).resolves.toMatch(
      /[٠-٩]{4}/u,
    );
    await page.keyboard.press('PageDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('audit-to').click();
    await page.getByRole('button', { name: 'اليوم', exact: true }).click();
    await expect(page.getByTestId('audit-from').textContent()).resolves.toMatch(/[٠-٩]/u);
    await page.getByRole('button', { name: 'تصفية' }).click();
    await expect
      .poll(() => page.locator('#main').textContent())
      .toContain('إلى تاريخ: يجب ألّا يسبق تاريخ البداية.');
    await screenshot(page, 'audit-range-refused');

    // Today only, one action, one actor: sign-ins of the auditor.
    await page.getByTestId('audit-from').click();
    await page.getByRole('button', { name: 'اليوم', exact: true }).click();
    await page.getByLabel('الإجراء').first().click();
    await page.getByRole('option', { name: 'تسجيل دخول', exact: true }).click();
    await page.getByLabel('المنفّذ').first().click();
    await page.getByRole('option', { name: /E2E auditor/u }).click();
    await page.getByRole('button', { name: 'تصفية' }).click();
    await settle(page);
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    for (const text of await rows.allTextContents()) {
      expect(text).toContain('تسجيل دخول');
      expect(text).toContain('E2E auditor');
    }
    await screenshot(page, 'audit-filtered');

    const href = await page.getByTestId('export-audit').getAttribute('href');
    expect(href).toContain('action=auth.login');
    const csv = await page.request.get(`${server.baseUrl}${href ?? ''}`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text())
      .replace(/^\uFEFF/u, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('"actor","actor_role","action"');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1))
      expect(line).toContain('"E2E auditor","auditor","auth.login"');

    // The chain check counts the events with the right plural form.
    await page.getByTestId('verify-audit').click();
    await expect(page.getByTestId('verify-result').textContent()).resolves.toMatch(
      /الأحداث المفحوصة: ([٠-٩]+ (أحداث|حدثاً|حدث)|حدثان|حدث واحد)\./u,
    );
    await context.close();
  });

  it('opens the inspections screen for an inspector (nothing waits for one tied to no partner)', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.inspector;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.locator('nav#main-menu [data-screen="inspections"]').click();
    await page.getByText('لا دفعات بانتظار معاينتك.').waitFor();
    await expect(page.getByTestId('role-waiting').count()).resolves.toBe(0);
    await context.close();
  });
});

// A registrar registers a household (field errors in Arabic first) and finds it by another spelling.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signIn } from './browser.js';
import { registerHouseholds, startServer, type E2eServer } from './server.js';

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

/** Types into the area box and picks the first option whose label contains `name`. */
async function chooseArea(page: Page, label: RegExp, name: string): Promise<void> {
  const box = page.getByLabel(label).first();
  await box.click();
  await box.fill(name);
  await page
    .getByRole('option', { name: new RegExp(name, 'u') })
    .first()
    .click();
}

describe('households', () => {
  it('registers a household, showing field errors in Arabic, then finds it by another spelling', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.registrar;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.goto(`${server.baseUrl}/households/new`);

    await page.locator('input[name="head_given_name"]').fill('فاطمة');
    await page.locator('input[name="head_father_name"]').fill('محمود');
    await chooseArea(page, /المنطقة/u, 'الصليبة');
    await page.locator('input[name="household_size"]').fill('٤');
    await page.getByRole('button', { name: 'تسجيل أسرة' }).click();

    // The family name was left empty: the API's error appears beside that field, in Arabic.
    const familyName = page.locator('input[name="head_family_name"]');
    await expect.poll(() => familyName.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await familyName.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.includes('error')) ?? describedBy;
    await expect(page.locator(`[id="${errorId}"]`).textContent()).resolves.toContain(
      'هذا الحقل مطلوب',
    );
    await screenshot(page, 'household-form-errors');

    await familyName.fill('الأحمد');
    await page.getByRole('button', { name: 'تسجيل أسرة' }).click();
    await page.getByTestId('household-name').waitFor();
    await expect(page.getByTestId('household-name').textContent()).resolves.toContain('فاطمة');
    await screenshot(page, 'household-detail');

    // Another spelling: taa marbuta written as haa, and no hamza on the alef.
    await page.goto(`${server.baseUrl}/households`);
    await page.locator('input[name="q"]').fill('فاطمه الاحمد');
    const results = page.getByTestId('household-results');
    await expect.poll(() => results.textContent(), { timeout: 10_000 }).toContain('فاطمة');
    await screenshot(page, 'household-search');
    await context.close();
  });

  it('shows a likely duplicate before saving, saves anyway with a reason, then reviews it', async () => {
    await registerHouseholds(server, [{ given: 'حسان', father: 'عمر', family: 'الدباغ', size: 3 }]);
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.registrar;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.goto(`${server.baseUrl}/households/new`);
    await page.locator('input[name="head_given_name"]').fill('حسّان');
    await page.locator('input[name="head_father_name"]').fill('عمر');
    await page.locator('input[name="head_family_name"]').fill('الدباغ');
    await chooseArea(page, /المنطقة/u, 'الصليبة');
    await page.locator('input[name="household_size"]').fill('3');
    await page.getByRole('button', { name: 'تسجيل أسرة' }).click();

    // Nothing is saved yet: the similar household is shown beside what was entered.
    const likely = page.getByRole('region', { name: 'قد تكون هذه الأسرة مسجّلة من قبل' });
    await likely.waitFor();
    await expect(likely.textContent()).resolves.toContain('حسان عمر الدباغ');
    await expect(likely.textContent()).resolves.toContain('ما أدخلته');
    await screenshot(page, 'likely-duplicate-before-saving');
    const saveAnyway = likely.getByRole('button', { name: 'أسرة مختلفة: احفظها' });
    await expect(saveAnyway.isDisabled()).resolves.toBe(true);
    await likely.getByLabel(/لماذا تحفظها/u).fill('ابن عم بالاسم نفسه، بطاقة عائلية مختلفة');
    await saveAnyway.click();

    const warnings = page.getByTestId('save-warnings');
    await warnings.waitFor();
    await expect(warnings.textContent()).resolves.toContain('قد تكون هذه الأسرة مسجّلة من قبل');
    await warnings.getByRole('link', { name: 'مراجعة' }).first().click();
    await page.getByRole('button', { name: 'أسرتان مختلفتان: أبقِ السجلين' }).waitFor();
    await expect(page.locator('#main').textContent()).resolves.toContain('حسان عمر الدباغ');
    await screenshot(page, 'duplicate-review');
    await page.getByRole('button', { name: 'أسرتان مختلفتان: أبقِ السجلين' }).click();
    await page.waitForURL(/\/households\/duplicates$/u);
    await expect
      .poll(() => page.locator('#main').textContent())
      .toContain('لا توجد تكرارات تنتظر المراجعة');
    await context.close();
  });
});

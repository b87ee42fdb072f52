// A coordinator keeps the crew: trainings, a volunteer made ready to dispatch then paused, a team
// created and edited, the exception queue worked through, and a field device enrolled and revoked.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDay } from '../../src/domain/runs/calendar.js';
import { verifyLedger } from '../../src/modules/ledger/ledger.service.js';
import { seedDemoCrew } from '../../src/modules/demo/demo.crew.js';
import { seedDemoRegistry } from '../../src/modules/demo/demo.registry.js';
import { launchBrowser, newContext, screenshot, settle, signIn } from './browser.js';
import { startServer, type E2eServer } from './server.js';

let server: E2eServer;
let browser: Browser;
const today = localDay(new Date(), 'Asia/Damascus');

beforeAll(async () => {
  server = await startServer();
  const clock = () => new Date();
  await seedDemoRegistry(server.storage, server.seed, clock, 300);
  const users = await server.storage.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', 'in', ['e2e-volunteer', 'e2e-team-leader'])
    .execute();
  const idOf = (name: string) => users.find((user) => user.username === name)?.id;
  await seedDemoCrew(
    server.storage,
    server.seed,
    { volunteer: idOf('e2e-volunteer'), teamLeader: idOf('e2e-team-leader') },
    clock,
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a Mantine select (or an area box, typing `typed`) and picks the first matching option. */
async function choose(page: Page, label: RegExp, option: RegExp, typed?: string): Promise<void> {
  const box = page.getByLabel(label).first();
  await box.click();
  if (typed) await box.fill(typed);
  await page.getByRole('option', { name: option }).first().click();
}

async function signedIn(): Promise<Page> {
  const context = await newContext(browser);
  const page = await context.newPage();
  const login = server.logins.coordinator;
  await signIn(page, server.baseUrl, login.username, login.password);
  return page;
}

describe('the crew screens', () => {
  it('adds a training, makes a volunteer ready to dispatch, pauses them, and keeps a team', async () => {
    const page = await signedIn();
    await page.goto(`${server.baseUrl}/trainings`);
    await settle(page);
    await expect
      .poll(() => page.getByTestId('expiring').locator('tbody tr').count())
      .toBeGreaterThan(0);
    await page.getByRole('button', { name: 'إضافة تدريب إلى الدليل' }).click();
    await page.getByLabel(/^الرمز/u).fill('psych_support');
    await page.getByLabel(/مدة الصلاحية/u).fill('٩٠');
    await page.getByLabel(/الاسم بالعربية/u).fill('الدعم النفسي');
    await page
      .getByLabel(/الاسم بالإنكليزية|الاسم بالإنجليزية|English/u)
      .fill('Psychosocial support');
    await page.getByRole('button', { name: 'حفظ' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'psych_support' }).count()).toBe(1);

    await page.goto(`${server.baseUrl}/volunteers`);
    await settle(page);
    expect(await page.getByTestId('volunteers').locator('tbody tr').count()).toBeGreaterThan(50);
    await page.getByRole('button', { name: 'تسجيل متطوع' }).click();
    await page
      .getByLabel(/^الاسم/u)
      .first()
      .fill('رهف');
    await page.getByLabel(/^الكنية/u).fill('الساحلي');
    await page.getByLabel(/^الهاتف/u).fill('٠٩٤٤ ٥٥٥ ١٢١');
    await page.getByLabel(/سنة الميلاد/u).fill('١٩٩٨');
    await choose(page, /^الوحدة التنظيمية/u, /وحدة مدينة اللاذقية/u);
    await choose(page, /^منطقة السكن/u, /الصليبة/u, 'الصليبة');
    await page.getByRole('button', { name: 'حفظ' }).click();
    const row = page.getByRole('row').filter({ hasText: 'رهف الساحلي' });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('بلا تصريح تنقل ساري');
    expect(await row.textContent()).toContain('ينقصه تدريب: ipc_ppe');
    await screenshot(page, 'crew-volunteers');

    await row.getByRole('link', { name: 'رهف الساحلي' }).click();
    await settle(page);
    await page.getByRole('button', { name: 'تسجيل تدريب' }).click();
    await choose(page, /^التدريب/u, /الوقاية من العدوى/u);
    await page.getByLabel(/تاريخ الإتمام/u).fill(today);
    await page.getByRole('button', { name: 'حفظ' }).click();
    await page.getByRole('table', { name: 'التدريبات' }).waitFor();
    await page.getByRole('button', { name: 'تسجيل تصريح تنقل' }).click();
    await page.getByLabel(/رقم التصريح/u).fill('LAT-E2E-1');
    await page.getByLabel(/ساري من/u).fill(today);
    await page.getByLabel(/ساري حتى/u).fill(addDays(today, 10));
    await choose(page, /المناطق المشمولة/u, /مدينة اللاذقية|اللاذقية/u, 'اللاذقية');
    await page.getByRole('button', { name: 'إضافة', exact: true }).click();
    await page.getByRole('button', { name: 'حفظ' }).click();
    await page.getByRole('table', { name: 'تصاريح التنقل' }).waitFor();
    await expect.poll(() => page.getByTestId('readiness').textContent()).toContain('جاهز للإيفاد');

    await choose(page, /الحالة الجديدة/u, /متوقف مؤقتًا/u);
    await page.getByRole('button', { name: 'تغيير الحالة' }).click();
    await expect.poll(() => page.getByTestId('volunteer-status').textContent()).toBe('متوقف مؤقتًا');
    await screenshot(page, 'crew-volunteer');
    const stored = await server.storage.db
      .selectFrom('volunteers')
      .select(['status', 'phone'])
      .where('family_name', '=', 'الساحلي')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: 'paused', phone: '+963944555121' });

    await page.goto(`${server.baseUrl}/teams`);
    await settle(page);
    const teams = page.getByTestId('teams').locator('tbody tr');
    expect(await teams.count()).toBe(8);
    await page.getByRole('button', { name: 'إنشاء فريق' }).click();
    await page
      .getByLabel(/^الاسم/u)
      .first()
      .fill('فريق الطوارئ');
    await choose(page, /^الوحدة التنظيمية/u, /وحدة مدينة اللاذقية/u);
    await choose(page, /^قائد الفريق/u, /./u);
    await choose(page, /المناطق المخدومة/u, /الصليبة/u, 'الصليبة');
    await page.getByRole('button', { name: 'إضافة', exact: true }).click();
    await page.getByRole('button', { name: 'حفظ' }).click();
    await expect.poll(() => teams.count()).toBe(9);
    await page.getByRole('button', { name: 'تعديل الفريق فريق الطوارئ' }).click();
    await page
      .getByLabel(/^الاسم/u)
      .first()
      .fill('فريق الطوارئ الأول');
    await page.getByLabel(/أقصى عدد محطات/u).fill('١٥');
    await page.getByRole('button', { name: 'حفظ' }).click();
    const edited = page.getByRole('row').filter({ hasText: 'فريق الطوارئ الأول' });
    await edited.waitFor();
    expect(await edited.textContent()).toContain('١٥');
    await screenshot(page, 'crew-teams');
  });

  it('works through the exception queue: approve one, reject one saying why', async () => {
    const page = await signedIn();
    await page.goto(`${server.baseUrl}/field-exceptions`);
    await settle(page);
    const rows = page.getByTestId('exceptions').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await screenshot(page, 'crew-exceptions');
    const first = rows.first();
    await first.getByRole('button', { name: 'قبول' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().getByRole('button', { name: 'رفض' }).click();
    await expect.poll(() => page.getByTestId('problem').count()).toBe(1);
    await rows.first().getByLabel('سبب الرفض').fill('الأسرة استلمت من المنفذ');
    await rows.first().getByRole('button', { name: 'رفض' }).click();
    await page.getByText('لا توجد استثناءات.').waitFor();
    const resolved = await server.storage.db
      .selectFrom('field_exceptions')
      .select(['status', 'resolution_reason'])
      .orderBy('status')
      .execute();
    expect(resolved).toEqual([
      { status: 'approved', resolution_reason: null },
      { status: 'rejected', resolution_reason: 'الأسرة استلمت من المنفذ' },
    ]);
    expect((await verifyLedger(server.storage.db)).discrepancies).toEqual([]);
  });

  it('enrols a field device with its QR, then revokes it', async () => {
    const page = await signedIn();
    await page.goto(`${server.baseUrl}/field-devices`);
    await settle(page);
    await page.getByRole('button', { name: 'تسجيل جهاز ميداني' }).click();
    await choose(page, /^المتطوع/u, /./u);
    await page.getByLabel(/اسم الجهاز/u).fill('هاتف الفريق ١');
    await page.getByRole('button', { name: 'حفظ' }).click();
    await page.getByTestId('enrolment-qr').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'هاتف الفريق ١' });
    await row.getByRole('button', { name: 'إلغاء الجهاز' }).click();
    await expect.poll(() => row.textContent()).toContain('ملغى');
  });
});

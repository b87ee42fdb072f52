// A coordinator writes a programme and opens a cycle; a storekeeper stocks the outlet; a clerk
// redeems at the counter by typed card number, sees what remains fall, and a second
// redemption of the same entitlement is refused in Arabic.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signIn } from './browser.js';
import { ensureCommodities, registerHouseholds, startServer, type E2eServer } from './server.js';

let server: E2eServer;
let browser: Browser;
let households: { id: string; card_number: string }[];
let outletName: string;

beforeAll(async () => {
  server = await startServer();
  await ensureCommodities(server);
  households = await registerHouseholds(server, [
    { given: 'خالد', father: 'أحمد', family: 'السيد', size: 4 },
    { given: 'مريم', father: 'علي', family: 'حسن', size: 2 },
    { given: 'يوسف', father: 'سمير', family: 'إبراهيم', size: 7 },
  ]);
  const outlet = server.seed.servicePoints[0];
  if (!outlet) throw new Error('the demo has no service point');
  outletName = outlet.name_ar;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a Mantine select by its label and picks the option with this text. */
async function choose(page: Page, label: string | RegExp, option: string): Promise<void> {
  await page.getByLabel(label).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

describe('distribution', () => {
  it('writes a programme with a live preview and opens a cycle', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.coordinator;
    await signIn(page, server.baseUrl, login.username, login.password);

    await page.goto(`${server.baseUrl}/programmes/new`);
    await page.getByLabel('الرمز').fill('sugar-e2e');
    await page.getByLabel('الاسم بالعربية').fill('سكر الأسر');
    await page.getByLabel('الاسم بالإنكليزية').fill('Household sugar');
    await choose(page, /^المادة/u, 'سكر');
    await page.getByLabel(/لكل فرد \(كغ\)/u).fill('1');
    await page.getByLabel(/الحد الأدنى/u).fill('1');
    await page.getByLabel(/الحد الأعلى/u).fill('5');
    // 1 kg per person, clamped to 1..5 kg: 4 + 2 + 5 = 11 kg for the three households.
    await expect
      .poll(() => page.getByTestId('preview-households').textContent(), { timeout: 10_000 })
      .toBe('٣');
    await expect(page.getByTestId('rules-preview').textContent()).resolves.toContain('١١ كغ');
    await screenshot(page, 'programme-editor');
    await page.getByRole('button', { name: 'حفظ' }).click();
    await page.waitForURL(/\/programmes\/[^/]+$/u);

    await page.goto(`${server.baseUrl}/cycles?new=1`);
    await choose(page, 'البرنامج', 'سكر الأسر');
    // The calendar: today for the start, a month later (Page Down, Enter) for the end.
    await page.getByTestId('starts-on').click();
    await page.getByRole('button', { name: 'اليوم', exact: true }).click();
    await page.getByTestId('ends-on').click();
    await page.keyboard.press('PageDown');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('ends-on').getAttribute('data-value')).resolves.toMatch(
      /^\d{4}-\d{2}-\d{2}$/u,
    );
    const areaBox = page
      .getByRole('textbox', { name: 'المناطق' })
      .or(page.getByLabel('المناطق'))
      .first();
    await areaBox.click();
    await areaBox.fill('SY06');
    await page
      .getByRole('option', { name: /SY06\)/u })
      .first()
      .click();
    await page.getByRole('button', { name: 'إضافة' }).click();
    await page.getByRole('button', { name: 'إنشاء الدورة' }).click();
    await page.waitForURL(/\/cycles\/[^/?]+$/u);
    await page.getByRole('button', { name: 'فتح الدورة' }).click();
    await page.getByTestId('confirm-action').click();
    await expect
      .poll(() => page.getByTestId('households-credited').textContent(), { timeout: 20_000 })
      .toBe('٣');
    // The cycle's page shows its progress, with the households not served yet counted.
    await expect
      .poll(() => page.getByTestId('not-served').last().textContent(), { timeout: 20_000 })
      .toBe('لم تستلم بعد: ٣ أسر');
    await screenshot(page, 'cycle-open');
    await context.close();
  });

  it('edits the programme: rules are refused in Arabic while its cycle is open, the name changes', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.coordinator;
    await signIn(page, server.baseUrl, login.username, login.password);

    // Through the menu, as a person would: the page's title names it, focus is on its heading.
    await page.locator('nav#main-menu [data-screen="programmes"]').click();
    await expect.poll(() => page.title()).toBe('البرامج — عون');
    await expect.poll(() => page.locator('main h2:focus').textContent()).toBe('البرامج');

    await page.getByRole('link', { name: 'سكر الأسر', exact: true }).click();
    await page.getByRole('link', { name: 'تعديل' }).click();
    await page.waitForURL(/\/programmes\/[^/]+\/edit$/u);
    await expect.poll(() => page.title()).toBe('تعديل البرنامج — عون');
    await expect.poll(() => page.locator('main h2:focus').textContent()).toBe('تعديل البرنامج');
    await page.getByTestId('rules-locked').waitFor();
    expect(await page.getByLabel('الرمز').inputValue()).toBe('sugar-e2e');
    // The saved rules are in the form, with the same live preview.
    expect(await page.getByLabel(/لكل فرد \(كغ\)/u).inputValue()).toBe('1');
    await expect
      .poll(() => page.getByTestId('rules-preview').textContent(), { timeout: 10_000 })
      .toContain('١١ كغ');
    // 2 kg per person, clamped to 1..5 kg: 5 + 4 + 5 = 14 kg.
    await page.getByLabel(/لكل فرد \(كغ\)/u).fill('2');
    await expect
      .poll(() => page.getByTestId('rules-preview').textContent(), { timeout: 10_000 })
      .toContain('١٤ كغ');
    await page.getByRole('button', { name: 'حفظ' }).click();
    await expect
      .poll(() => page.getByTestId('problem').textContent())
      .toContain('لا يمكن تغيير قواعد هذا البرنامج ما دامت له دورة توزيع مفتوحة');
    await screenshot(page, 'programme-edit-refused');

    // Back to the saved rules, and a new Arabic name: saved, the cycle untouched.
    await page.getByLabel(/لكل فرد \(كغ\)/u).fill('1');
    await page.getByLabel('الاسم بالعربية').fill('سكر الأسر الشهري');
    await page.getByRole('button', { name: 'حفظ' }).click();
    await page.waitForURL(/\/programmes\/[^/]+$/u);
    await expect.poll(() => page.locator('main h2').first().textContent()).toBe('سكر الأسر الشهري');
    await expect.poll(() => page.title()).toBe('برنامج — عون');
    await context.close();
  });

  it('lets a storekeeper receive stock into the outlet', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.storekeeper;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.goto(`${server.baseUrl}/stock`);
    await choose(page, 'المنفذ', outletName);
    await choose(page, /^المادة/u, 'سكر');
    await page.getByLabel(/الكمية/u).fill('50');
    await page.getByRole('button', { name: 'تسجيل الاستلام' }).click();
    await expect.poll(() => page.getByTestId('stock-table').textContent()).toContain('٥٠ كغ');
    await screenshot(page, 'stock');
    await context.close();
  });

  it('redeems at the counter by typed card number; a second redemption is refused in Arabic', async () => {
    const context = await newContext(browser, { phone: true });
    const page = await context.newPage();
    const login = server.logins.outlet_clerk;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.goto(`${server.baseUrl}/counter`);
    await choose(page, 'المنفذ', outletName);
    const card = households[0]?.card_number ?? '';

    await page.locator('input[name="card"]').fill(card);
    await page.getByRole('button', { name: 'بحث' }).click();
    await expect(page.getByTestId('remaining-sugar').textContent()).resolves.toBe('٤ كغ');
    // Prefilled with all that remains; hand over one kilogram only.
    expect(await page.locator('input[name="quantity-sugar"]').inputValue()).toBe('٤');
    await page.locator('input[name="quantity-sugar"]').fill('1');
    await screenshot(page, 'counter-household');
    await page.getByTestId('confirm-redemption').click();
    await expect(page.getByTestId('receipt-remaining-sugar').textContent()).resolves.toBe('٣ كغ');
    await screenshot(page, 'counter-receipt');

    // The same card again: what remains has fallen from 4 kg to 3 kg.
    await page.getByTestId('next-household').click();
    await page.locator('input[name="card"]').fill(card);
    await page.getByRole('button', { name: 'بحث' }).click();
    await expect(page.getByTestId('remaining-sugar').textContent()).resolves.toBe('٣ كغ');

    // A second screen at another counter hands over the rest first…
    const other = await context.newPage();
    await other.goto(`${server.baseUrl}/counter`);
    await other.locator('input[name="card"]').fill(card);
    await other.getByRole('button', { name: 'بحث' }).click();
    await other.getByTestId('confirm-redemption').click();
    await other.getByTestId('receipt').waitFor();
    // …so confirming the same entitlement here is refused, in Arabic.
    await page.getByTestId('confirm-redemption').click();
    await expect(page.getByTestId('refusal').textContent()).resolves.toContain(
      'لم يبقَ لهذه الأسرة',
    );
    await screenshot(page, 'counter-refused');

    // Looking the card up again says plainly that nothing is left (Escape cancels first).
    await page.keyboard.press('Escape');
    await page.locator('input[name="card"]').fill(card);
    await page.getByRole('button', { name: 'بحث' }).click();
    await expect(page.getByTestId('refusal').textContent()).resolves.toContain(
      'لم يبقَ لهذه الأسرة شيء',
    );

    // A number with a wrong check digit never reaches the ledger.
    await page.keyboard.press('Escape');
    const wrong = card.slice(0, -1) + String((Number(card.slice(-1)) + 1) % 10);
    await page.locator('input[name="card"]').fill(wrong);
    await page.getByRole('button', { name: 'بحث' }).click();
    await expect(page.getByTestId('refusal').textContent()).resolves.toContain(
      'رقم البطاقة غير صحيح',
    );
    await context.close();
  });

  it("shows the hand-overs in the household's history and on the coordinator's home", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.coordinator;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.goto(`${server.baseUrl}/households/${households[0]?.id ?? ''}`);
    await page.getByRole('tab', { name: 'سجل الاستلام' }).click();
    await expect.poll(() => page.getByTestId('redemptions-table').textContent()).toContain('١ كغ');
    expect(await page.getByTestId('redemptions-table').locator('tbody tr').count()).toBe(2);

    await page.goto(`${server.baseUrl}/`);
    await expect
      .poll(() => page.getByTestId('today-count').textContent())
      .toContain('عمليتا تسليم');
    await expect
      .poll(() => page.getByTestId('cycle-progress').first().textContent())
      .toContain('٤ كغ');
    await screenshot(page, 'home-progress');
    await context.close();
  });

  it('reads a scanned card (a scanner types the signed payload), and names a forged or revoked card', async () => {
    const { cardPayloads, reissueCard } = await import('../../src/modules/cards/cards.service.js');
    const { systemActor } = await import('../../src/domain/actor.js');
    const second = households[1];
    const third = households[2];
    if (!second || !third) throw new Error('households missing');
    const payload =
      (await cardPayloads(server.storage.db, [second.id])).get(second.id)?.payload ?? '';
    await reissueCard(server.storage, systemActor, third.id, 'lost', () => new Date());

    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.outlet_clerk;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.goto(`${server.baseUrl}/counter`);
    await choose(page, 'المنفذ', outletName);

    const cardInput = page.locator('input[name="card"]');
    // The payload with its signature altered: refused as a possible forgery at lookup, before
    // any hand-over is offered (the server checks the signature).
    const last = payload.at(-2) === 'A' ? 'B' : 'A';
    await cardInput.fill(`${payload.slice(0, -2)}${last}${payload.slice(-1)}`);
    await cardInput.press('Enter');
    await expect(page.getByTestId('refusal').textContent()).resolves.toContain('مزوّرة');
    expect(await page.getByTestId('confirm-redemption').count()).toBe(0);
    await page.keyboard.press('Escape');

    // A keyboard-wedge scanner types the real payload and presses Enter.
    await cardInput.fill(payload);
    await cardInput.press('Enter');
    await expect(page.getByTestId('remaining-sugar').textContent()).resolves.toBe('٢ كغ');
    await page.getByTestId('confirm-redemption').click();
    await expect(page.getByTestId('receipt-remaining-sugar').textContent()).resolves.toBe('٠ كغ');
    await page.getByTestId('next-household').click();

    // The card that was replaced: refused as revoked at lookup, by its old number.
    await cardInput.fill(third.card_number);
    await cardInput.press('Enter');
    await expect(page.getByTestId('refusal').textContent()).resolves.toContain('ملغاة');
    expect(await page.getByTestId('confirm-redemption').count()).toBe(0);
    await screenshot(page, 'counter-revoked');
    await context.close();
  });
});

// The counter as a clerk uses it at a bakery: only what the outlet serves is offered, at most
// the day's limit; what remains after the hand-over shows per item; the card field keeps the
// focus for the next scan; Escape cancels; a household that is not active cannot be served;
// a stale screen is refused naming the item and what is left today.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signIn } from './browser.js';
import { ensureCommodities, registerHouseholds, startServer, type E2eServer } from './server.js';

let server: E2eServer;
let browser: Browser;
let households: { id: string; card_number: string }[];
let bakeryName = '';
let shopName = '';
let proxyId = '';

beforeAll(async () => {
  server = await startServer();
  await ensureCommodities(server);
  const { systemActor } = await import('../../src/domain/actor.js');
  const { createProgramme } = await import('../../src/modules/programmes/programmes.service.js');
  const { createCycle, openCycle } = await import('../../src/modules/cycles/cycles.service.js');
  const { createServicePoint } =
    await import('../../src/modules/service-points/service-points.service.js');
  const { receiveStock } = await import('../../src/modules/stock/stock.service.js');
  const clock = () => new Date();
  households = await registerHouseholds(server, [
    { given: 'سامر', father: 'نزار', family: 'الخطيب', size: 4 },
    { given: 'هدى', father: 'فؤاد', family: 'النحاس', size: 3 },
    { given: 'ريم', father: 'سليم', family: 'الحكيم', size: 2 },
    { given: 'وليد', father: 'منير', family: 'العطار', size: 5 },
  ]);
  // The second household is suspended: it keeps its entitlement but may not be served.
  await server.storage.db
    .updateTable('households')
    .set({ status: 'suspended' })
    .where('id', '=', households[1]?.id ?? '')
    .execute();
  const programme = await createProgramme(
    server.storage,
    systemActor,
    {
      code: 'bread-daily',
      name_ar: 'خبز يومي',
      name_en: 'Daily bread',
      rules: {
        eligibility: { statuses: ['active', 'suspended'] },
        items: [
          { commodity: 'bread', tiers: [{ quantity: 30 }], per_day_max: 2, per_visit_max: 2 },
          { commodity: 'sugar', per_person: 1000 },
        ],
      },
    },
    clock,
  );
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const area = server.seed.servicePoints[0]?.area_pcode ?? '';
  const cycle = await createCycle(
    server.storage,
    systemActor,
    {
      programme_id: programme.id,
      starts_on: today,
      ends_on: later,
      area_pcodes: [server.seed.communityPcodes[0] ?? ''],
    },
    clock,
  );
  await openCycle(server.storage, systemActor, cycle.id, clock);
  bakeryName = 'مخبز الاختبار';
  const bakery = await createServicePoint(
    server.storage,
    systemActor,
    {
      name_ar: bakeryName,
      name_en: 'Test bakery',
      area_pcode: area,
      commodities: ['bread'],
    },
    clock,
  );
  await receiveStock(
    server.storage,
    systemActor,
    bakery.id,
    { id: randomUUID(), commodity: 'bread', quantity: 500 },
    clock,
  );
  // A second bakery is the fourth household's home in this programme.
  shopName = 'مخبز الحي';
  const shop = await createServicePoint(
    server.storage,
    systemActor,
    { name_ar: shopName, name_en: 'Quarter bakery', area_pcode: area, commodities: ['bread'] },
    clock,
  );
  const { setHouseholdHome } =
    await import('../../src/modules/service-points/service-points.homes.js');
  await setHouseholdHome(
    server.storage,
    systemActor,
    households[3]?.id ?? '',
    { programme_id: programme.id, service_point_id: shop.id },
    clock,
  );
  // The third household has a registered proxy who may collect for it.
  const { createProxy } = await import('../../src/modules/households/proxies.service.js');
  proxyId = (
    await createProxy(
      server.storage,
      systemActor,
      households[2]?.id ?? '',
      { name: 'سعاد الجارة', relation: 'جارة' },
      clock,
    )
  ).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function choose(page: Page, label: string | RegExp, option: string): Promise<void> {
  await page.getByLabel(label).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

async function openCounter(
  page: Page,
  login: { username: string; password: string } = server.logins.outlet_clerk,
): Promise<void> {
  await signIn(page, server.baseUrl, login.username, login.password);
  await page.goto(`${server.baseUrl}/counter`);
  await choose(page, 'المنفذ', bakeryName);
}

/** The name of the focused field ('' when none): the card field must keep the focus. */
const focusedName = (page: Page) =>
  page
    .locator(':focus')
    .evaluateAll((elements) =>
      elements.map((element) => element.getAttribute('name') ?? '').join(''),
    );

describe('the counter at a bakery', () => {
  it('offers only bread, at most the day’s limit, shows what remains after, and keeps the card field focused', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await openCounter(page);
    const card = households[0]?.card_number ?? '';
    const cardInput = page.locator('input[name="card"]');

    await cardInput.fill(card);
    await cardInput.press('Enter');
    await expect(page.getByTestId('remaining-bread').textContent()).resolves.toContain('٣٠');
    // The bakery does not hand out sugar: it is named, not offered.
    expect(await page.locator('input[name="quantity-sugar"]').count()).toBe(0);
    await expect(page.getByTestId('not-served').textContent()).resolves.toContain('سكر');
    // Prefilled with the day's limit, not the cycle's thirty bundles.
    expect(await page.locator('input[name="quantity-bread"]').inputValue()).toBe('٢');
    await expect(page.getByTestId('left-today-bread').textContent()).resolves.toContain('٢');
    await expect(page.getByTestId('after-bread').textContent()).resolves.toContain('٢٨');
    // After the lookup the card field has the focus again, ready for the next scan.
    await expect.poll(() => focusedName(page)).toBe('card');

    await page.locator('input[name="quantity-bread"]').fill('1');
    await expect(page.getByTestId('after-bread').textContent()).resolves.toContain('٢٩');
    await page.locator('input[name="quantity-bread"]').fill('3');
    await expect(
      page.getByText('أكثر من المتبقي اليوم').first().textContent(),
    ).resolves.toBeTruthy();
    expect(await page.getByTestId('confirm-redemption').isDisabled()).toBe(true);
    await page.locator('input[name="quantity-bread"]').fill('1');
    await screenshot(page, 'counter-bakery');
    await page.getByTestId('confirm-redemption').click();
    await page.getByTestId('receipt').waitFor();
    await expect(page.getByTestId('receipt-remaining-bread').textContent()).resolves.toContain(
      '٢٩',
    );
    // After the hand-over: the card field is empty and focused, and the button says what it does.
    await expect.poll(() => focusedName(page)).toBe('card');
    expect(await cardInput.inputValue()).toBe('');
    await expect(page.getByTestId('next-household').textContent()).resolves.toBe(
      'تفريغ الشاشة للأسرة التالية',
    );

    // The same card again: one bundle left today, prefilled with it.
    await cardInput.fill(card);
    await cardInput.press('Enter');
    await expect.poll(() => page.locator('input[name="quantity-bread"]').inputValue()).toBe('١');

    // Escape cancels: the household leaves the screen, the card field is empty and focused.
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('confirm-redemption').count()).toBe(0);
    expect(await cardInput.inputValue()).toBe('');
    await expect.poll(() => focusedName(page)).toBe('card');
    await context.close();
  });

  it('refuses a stale screen naming the item and what is left today', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await openCounter(page);
    const card = households[0]?.card_number ?? '';
    await page.locator('input[name="card"]').fill(card);
    await page.locator('input[name="card"]').press('Enter');
    await expect.poll(() => page.locator('input[name="quantity-bread"]').inputValue()).toBe('١');

    // Another counter hands over today's last bundle first…
    const other = await context.newPage();
    await other.goto(`${server.baseUrl}/counter`);
    await other.locator('input[name="card"]').fill(card);
    await other.locator('input[name="card"]').press('Enter');
    await other.getByTestId('confirm-redemption').click();
    await other.getByTestId('receipt').waitFor();

    // …so this screen is out of date: refused, naming bread and what is left today.
    await page.getByTestId('confirm-redemption').click();
    const refusal = page.getByTestId('refusal');
    await expect.poll(() => refusal.textContent()).toContain('خبز');
    await expect(refusal.textContent()).resolves.toContain('المتبقي اليوم');
    await screenshot(page, 'counter-stale');
    await context.close();
  });

  it('does not serve a household that is not active: Confirm is off and says why', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await openCounter(page);
    await page.locator('input[name="card"]').fill(households[1]?.card_number ?? '');
    await page.locator('input[name="card"]').press('Enter');
    await expect(page.getByTestId('not-active').textContent()).resolves.toContain('موقوفة');
    expect(await page.getByTestId('confirm-redemption').isDisabled()).toBe(true);
    await screenshot(page, 'counter-not-active');
    await context.close();
  });

  it('records who collected: the clerk picks a registered proxy, and the history names her', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await openCounter(page);
    await page.locator('input[name="card"]').fill(households[2]?.card_number ?? '');
    await page.locator('input[name="card"]').press('Enter');
    await choose(page, 'المستلم', 'وكيل: سعاد الجارة (جارة)');
    await page.getByTestId('confirm-redemption').click();
    await page.getByTestId('receipt').waitFor();
    const stored = await server.storage.db
      .selectFrom('redemptions')
      .select('collected_by')
      .where('household_id', '=', households[2]?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(stored.collected_by).toBe(`proxy:${proxyId}`);
    await context.close();

    // The registrar sees it in the household's history, and the proxy on its page.
    const office = await newContext(browser);
    const registrarPage = await office.newPage();
    const registrar = server.logins.registrar;
    await signIn(registrarPage, server.baseUrl, registrar.username, registrar.password);
    await registrarPage.goto(`${server.baseUrl}/households/${households[2]?.id ?? ''}`);
    await registrarPage.getByRole('tab', { name: 'سجل الاستلام' }).click();
    await expect
      .poll(() => registrarPage.getByTestId('redemptions-table').textContent())
      .toContain('وكيل: سعاد الجارة');
    await registrarPage.getByRole('tab', { name: 'الوكلاء' }).click();
    await expect.poll(() => registrarPage.getByTestId('proxies').textContent()).toContain('جارة');
    await screenshot(registrarPage, 'household-proxies');
    await office.close();
  });

  it('refuses a household away from its home bakery, naming it; a coordinator may hand over with a reason', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await openCounter(page);
    await page.locator('input[name="card"]').fill(households[3]?.card_number ?? '');
    await page.locator('input[name="card"]').press('Enter');
    await page.getByTestId('confirm-redemption').click();
    await expect.poll(() => page.getByTestId('refusal').textContent()).toContain('منفذها المعتمد');
    await expect(page.getByTestId('home-service-point').textContent()).resolves.toContain(shopName);
    // A clerk may not override.
    expect(await page.getByTestId('override-reason').count()).toBe(0);
    await screenshot(page, 'counter-wrong-service-point');
    await context.close();

    const office = await newContext(browser);
    const coordinatorPage = await office.newPage();
    await openCounter(coordinatorPage, server.logins.coordinator);
    await coordinatorPage.locator('input[name="card"]').fill(households[3]?.card_number ?? '');
    await coordinatorPage.locator('input[name="card"]').press('Enter');
    await coordinatorPage.getByTestId('confirm-redemption').click();
    await coordinatorPage.getByTestId('override-reason').waitFor();
    await coordinatorPage.getByTestId('override-reason').fill('المخبز مغلق اليوم');
    await coordinatorPage.getByTestId('override-confirm').click();
    await coordinatorPage.getByTestId('receipt').waitFor();
    await office.close();
  });

  it('closes the day at the bakery: counts against the books, the difference, a printable sheet', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await openCounter(page);
    await page.getByTestId('open-day-close').click();
    await page.getByTestId('day-close').waitFor();
    await page.getByLabel('العدد المعدود من خبز').fill('٤٩٠');
    await page.getByTestId('close-day').click();
    await expect.poll(() => page.getByTestId('day-close').textContent()).toContain('أُغلق اليوم');
    // Six bundles were handed over (1 + 1 + 2 + 2): 494 on the books, 490 counted.
    await expect(page.getByTestId('difference-bread').textContent()).resolves.toContain('٤');
    const recorded = await server.storage.db
      .selectFrom('day_closes')
      .select(['on_hand_books', 'counted', 'difference'])
      .where('commodity', '=', 'bread')
      .execute();
    expect(recorded.map((row) => Number(row.difference))).toEqual([-4]);
    await screenshot(page, 'counter-day-close');
    const href = (await page.getByTestId('day-sheet').getAttribute('href')) ?? '';
    const sheet = await page.request.get(`${server.baseUrl}${href}`);
    expect(sheet.status()).toBe(200);
    expect(await sheet.text()).toContain('إغلاق اليوم');
    await context.close();
  });
});

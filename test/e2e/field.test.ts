// The field app as a volunteer uses it at the doors with no signal: signed in once online, the
// phone goes offline, the app reloads from its service worker with the run from its store,
// deliveries (full, and partial with quantities typed in Arabic digits), a failed visit and a
// delivery to a household not on the run are recorded and counted as waiting; back online they are sent, and the server shows the stops'
// new states.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot } from './browser.js';
import { dispatchFieldRun, type FieldRunWorld } from './field-world.js';
import { startServer, type E2eServer } from './server.js';

let server: E2eServer;
let browser: Browser;
let world: FieldRunWorld;

const arabicDigits = (text: string) =>
  text.replace(/\d/gu, (digit) => '٠١٢٣٤٥٦٧٨٩'[Number(digit)] ?? digit);

beforeAll(async () => {
  server = await startServer();
  world = await dispatchFieldRun(server);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function waitingCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('waiting-count').getAttribute('data-count'));
}

async function openStop(page: Page, sequence: number): Promise<void> {
  await page.getByTestId(`stop-${sequence}`).click();
  await page.getByTestId('stop-state').waitFor();
}

async function checkCard(page: Page, cardNumber: string): Promise<void> {
  await page.locator('input[name="card"]').fill(cardNumber);
  await page.getByTestId('check-card').click();
}

/** Calls the API as the coordinator (signed in on first use). */
let coordinatorCookie = '';
async function asCoordinator<T>(method: string, path: string, body?: unknown): Promise<T> {
  const origin = server.baseUrl;
  if (!coordinatorCookie) {
    const login = await fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({
        username: server.logins.coordinator.username,
        password: server.logins.coordinator.password,
      }),
    });
    coordinatorCookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }
  const response = await fetch(`${origin}/api/v1${path}`, {
    method,
    headers: {
      cookie: coordinatorCookie,
      origin,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

async function runStates(): Promise<Record<string, string>> {
  const run = await asCoordinator<{ stops: { id: string; state: string }[] }>(
    'GET',
    `/runs/${world.runId}`,
  );
  return Object.fromEntries(run.stops.map((stop) => [stop.id, stop.state]));
}

describe('the field app, offline at the doors', () => {
  let context: BrowserContext;
  let page: Page;

  it('signs in, downloads the run and installs its service worker', async () => {
    context = await newContext(browser, { phone: true });
    page = await context.newPage();
    await page.goto(`${server.baseUrl}/field/`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.locator('input[name="username"]').fill(server.logins.volunteer.username);
    await page.locator('input[name="password"]').fill(server.logins.volunteer.password);
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('run').waitFor();
    // Strings, not functions: the root tsconfig has no DOM types for test code.
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    const manifest = await page.evaluate<{ start_url: string; icons: unknown[] }>(
      `fetch(document.querySelector('link[rel="manifest"]').getAttribute('href')).then((response) => response.json())`,
    );
    expect(manifest.start_url).toBe('/field/');
    expect(manifest.icons).toHaveLength(2);
  });

  it('reloads offline from the service worker and records deliveries and a failed visit', async () => {
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('signed-in-as').waitFor();
    await page.getByTestId('run').click();
    const [first, second] = world.stops;
    if (!first || !second) throw new Error('the run has fewer than three stops');

    // Stop 1: a card of another household is refused; its own card, typed in Arabic digits.
    await openStop(page, 1);
    await checkCard(page, second.card_number);
    await page.getByRole('alert').filter({ hasText: 'ليست لأسرة هذه المحطة' }).waitFor();
    await checkCard(page, '12345');
    await page.getByRole('alert').filter({ hasText: 'خانات التحقق' }).waitFor();
    await checkCard(page, arabicDigits(first.card_number));
    await page.getByTestId('card-ok').waitFor();
    await page.getByTestId('confirm-delivery').click();
    await page.getByTestId('stop-1').waitFor();
    expect(await page.getByTestId('stop-1').getAttribute('data-state')).toBe('delivered');

    // Stop 2: half the sugar, typed in Arabic digits.
    await openStop(page, 2);
    await checkCard(page, second.card_number);
    await page.getByText('كمية سكر (غ)').waitFor();
    const sugar = second.items.find((item) => item.commodity === 'sugar')?.quantity ?? 0;
    await page.locator('input[name="quantity-sugar"]').fill(arabicDigits(String(sugar / 2)));
    await page.getByTestId('confirm-delivery').click();
    await page.getByTestId('stop-2').waitFor();
    expect(await page.getByTestId('stop-2').getAttribute('data-state')).toBe('partial');

    // Stop 3: nobody home.
    await openStop(page, 3);
    await page.locator('select[name="reason"]').selectOption('not_home');
    await page.getByTestId('record-failed').click();
    await page.getByTestId('stop-3').waitFor();
    expect(await page.getByTestId('stop-3').getAttribute('data-state')).toBe('failed');

    // A household not on the run, its card typed: one bundle of bread.
    await page.getByRole('button', { name: 'أسرة ليست في الجولة' }).click();
    await checkCard(page, world.offRun.card_number);
    await page.getByTestId('card-ok').waitFor();
    await page.locator('input[name="quantity-bread"]').fill('١');
    await page.getByRole('button', { name: 'تسجيل التسليم' }).click();
    await page.getByTestId('stop-1').waitFor();

    expect(await waitingCount(page)).toBe(4);
    await screenshot(page, 'field-offline-waiting');
    expect(Object.values(await runStates())).toEqual(['reserved', 'reserved', 'reserved']);
  });

  it('sends the waiting actions when back online, and the server shows them', async () => {
    await context.setOffline(false);
    await expect.poll(() => waitingCount(page), { timeout: 15_000 }).toBe(0);
    const states = await runStates();
    expect(world.stops.map((stop) => states[stop.id])).toEqual(['delivered', 'partial', 'failed']);
    const entitlements = await asCoordinator<{
      items: { cycle_id: string; commodity: string; entitled: number; remaining: number }[];
    }>('GET', `/households/${world.offRun.id}/entitlements`);
    const bread = entitlements.items.find(
      (item) => item.cycle_id === world.cycleId && item.commodity === 'bread',
    );
    expect(bread && bread.entitled - bread.remaining).toBe(1);
    // The phone's view agrees after the fresh download.
    expect(await page.getByTestId('stop-1').getAttribute('data-state')).toBe('delivered');
    await screenshot(page, 'field-synced');
    await context.close();
  });

  it("signs a phone in from the office's enrolment link, counts its ops, and forgets a closed run", async () => {
    const enrolment = await asCoordinator<{ id: string; enrolment_url: string }>(
      'POST',
      '/field-devices',
      { volunteer_id: world.volunteerId, name: 'هاتف الفريق' },
    );
    context = await newContext(browser, { phone: true });
    page = await context.newPage();
    await page.goto(enrolment.enrolment_url);
    await page.getByTestId('run').click();
    // The token left the address bar; the stops already visited show as such.
    expect(page.url()).toBe(`${server.baseUrl}/field/`);
    expect(await page.getByTestId('stop-3').getAttribute('data-state')).toBe('failed');
    await openStop(page, 3);
    await checkCard(page, world.stops[2]?.card_number ?? '');
    await page.getByTestId('confirm-delivery').click();
    await page.locator('[data-testid="stop-3"][data-state="delivered"]').waitFor();
    await expect.poll(() => waitingCount(page), { timeout: 15_000 }).toBe(0);
    const received = async () =>
      (
        await asCoordinator<{ items: { id: string; ops_received: number }[] }>(
          'GET',
          '/field-devices',
        )
      ).items.find((device) => device.id === enrolment.id)?.ops_received;
    await expect.poll(received, { timeout: 15_000 }).toBe(1);

    await asCoordinator('POST', `/runs/${world.runId}/close`, {});
    await page.getByRole('button', { name: 'أرسل الآن' }).click();
    await page.getByText('لا جولات توزيع مُرسلة لفرقك.').waitFor();
    await context.close();
  });
});

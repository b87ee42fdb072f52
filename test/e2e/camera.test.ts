// The counter reads a ration card's QR code through the camera. Chromium's fake camera shows
// the signed payload the API gave for a demo household's card; the clerk sees the household
// and what remains, hands it over, and a replaced card held up to the camera is refused in
// Arabic. Debian's Chromium has no BarcodeDetector, so this runs the jsQR fallback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoRegistry } from '../../src/modules/demo/demo.registry.js';
import { launchBrowser, newContext, screenshot, signIn } from './browser.js';
import { cameraWatchScript, showOnFakeCamera } from './fake-camera.js';
import { startServer, type E2eServer, type Login } from './server.js';

interface Entitlement {
  commodity: string;
  remaining: number;
}
interface ReissuedCard {
  card_number: string;
  payload: string;
}

let server: E2eServer;
let browser: Browser;
let directory: string;
let cameraFile: string;
let household: { id: string; head_full_name: string };
/** The household's card now, and the one it replaced (revoked). */
let current: ReissuedCard;
let replaced: ReissuedCard;

/** Signs in through the HTTP API and answers a JSON client carrying the session cookie. */
async function apiAs(login: Login) {
  const response = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: login.username, password: login.password }),
  });
  const session = response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0] ?? '')
    .find((cookie) => cookie.startsWith('awn_session='));
  if (response.status !== 200 || !session) throw new Error(`sign-in failed: ${response.status}`);
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const answer = await fetch(`${server.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        cookie: session,
        origin: server.baseUrl,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}`);
    return (await answer.json()) as T;
  };
  return {
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  };
}

const arabicDigits = (value: number): string =>
  String(value).replace(/[0-9]/gu, (digit) => '٠١٢٣٤٥٦٧٨٩'.charAt(Number(digit)));

async function remainingOf(id: string): Promise<Map<string, number>> {
  const api = await apiAs(server.logins.outlet_clerk);
  const { items } = await api.get<{ items: Entitlement[] }>(`/households/${id}/entitlements`);
  const totals = new Map<string, number>();
  for (const item of items)
    totals.set(item.commodity, (totals.get(item.commodity) ?? 0) + item.remaining);
  return totals;
}

/** How many camera streams the page was given, and how many tracks still run (see cameraWatchScript). */
async function cameraUse(page: Page): Promise<{ streams: string | null; live: string | null }> {
  const root = page.locator('html');
  return {
    streams: await root.getAttribute('data-camera-streams'),
    live: await root.getAttribute('data-camera-live'),
  };
}

/**
 * Opens the scanner and waits until the camera's picture has been read, the scanner closed
 * and the camera turned off: the page has been given `streams` camera streams in all.
 */
async function scanWithCamera(page: Page, streams: number): Promise<void> {
  await page.getByRole('button', { name: 'مسح بالكاميرا' }).click();
  await page.getByLabel('صورة الكاميرا').waitFor();
  await page.getByLabel('صورة الكاميرا').waitFor({ state: 'detached', timeout: 20_000 });
  await expect
    .poll(() => cameraUse(page), { timeout: 20_000 })
    .toEqual({ streams: String(streams), live: '0' });
}

beforeAll(async () => {
  server = await startServer();
  // The demo's registry, small: generated households, the monthly programme with its cycle
  // open over Lattakia, stocked service points.
  await seedDemoRegistry(server.storage, server.seed, () => new Date(), 12);
  const registrar = await apiAs(server.logins.registrar);
  const { items } = await registrar.get<{ items: { id: string; head_full_name: string }[] }>(
    '/households?status=active&limit=1',
  );
  const [first] = items;
  if (!first) throw new Error('the demo registered no active household');
  household = first;
  // The card the household lost, then the card that replaced it: both signed payloads come
  // from the API, and the first is now revoked.
  const reissue = `/households/${household.id}/card/reissue`;
  replaced = await registrar.post<ReissuedCard>(reissue, { reason: 'lost' });
  current = await registrar.post<ReissuedCard>(reissue, { reason: 'lost' });

  directory = mkdtempSync(join(tmpdir(), 'awn-camera-'));
  cameraFile = join(directory, 'camera.y4m');
  showOnFakeCamera(cameraFile, current.payload);
  browser = await launchBrowser({ fakeCamera: cameraFile });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('the counter camera', () => {
  it('reads the card QR, shows what remains, hands it over; a replaced card is refused in Arabic', async () => {
    const before = await remainingOf(household.id);
    const bread = before.get('bread') ?? 0;
    expect(bread).toBeGreaterThan(0);

    const context = await newContext(browser, { phone: true });
    await context.grantPermissions(['camera'], { origin: server.baseUrl });
    await context.addInitScript(cameraWatchScript);
    const page = await context.newPage();
    const login = server.logins.outlet_clerk;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.goto(`${server.baseUrl}/counter`);
    const outlet = server.seed.servicePoints[0];
    if (!outlet) throw new Error('the demo has no service point');
    await page.getByLabel('المنفذ').first().click();
    await page.getByRole('option', { name: outlet.name_ar }).first().click();

    // Closed before the camera has started: the camera is turned off once it starts.
    await page.getByRole('button', { name: 'مسح بالكاميرا' }).click();
    await page.getByRole('button', { name: 'كتابة الرقم بدلاً من ذلك' }).click();
    expect((await cameraUse(page)).streams).toBe('0');
    await expect
      .poll(() => cameraUse(page), { timeout: 20_000 })
      .toEqual({ streams: '1', live: '0' });

    await scanWithCamera(page, 2);
    await expect
      .poll(() => page.getByTestId('counter-household').textContent())
      .toBe(household.head_full_name);
    // Every commodity the household is entitled to, with what remains of it.
    const shown = await page
      .getByTestId('counter-entitlements')
      .locator('[data-testid^="remaining-"]')
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-testid') ?? ''));
    expect(shown.sort()).toEqual([...before.keys()].map((code) => `remaining-${code}`).sort());
    await expect(page.getByTestId('remaining-bread').textContent()).resolves.toContain(
      arabicDigits(bread),
    );
    await screenshot(page, 'camera-household');

    // Everything that remains is prefilled: the hand-over is signed off by the scanned payload.
    await page.getByTestId('confirm-redemption').click();
    await expect(page.getByTestId('receipt-remaining-bread').textContent()).resolves.toContain(
      arabicDigits(0),
    );
    await screenshot(page, 'camera-receipt');
    const after = await remainingOf(household.id);
    expect([...after.values()].every((remaining) => remaining === 0)).toBe(true);

    // The card that was replaced, held up to the camera: refused as revoked, in Arabic.
    await page.getByTestId('next-household').click();
    showOnFakeCamera(cameraFile, replaced.payload);
    await scanWithCamera(page, 3);
    await expect(page.getByTestId('refusal').textContent()).resolves.toContain('هذه البطاقة ملغاة');
    expect(await page.locator('input[name="card"]').inputValue()).toBe(replaced.payload);
    await screenshot(page, 'camera-revoked');
    await context.close();
  });
});

// The runs board as a coordinator uses it: plan a day across two teams, see the runs with
// their length and progress, open a run's page with its offline map, preview a shorter order
// in the browser's routing worker and keep it, move a stop to the other run, and try to dispatch a team
// whose volunteer holds no permit (the refusal names what is missing).
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, settle, signIn } from './browser.js';
import { ensureCommodities, registerHouseholds, startServer, type E2eServer } from './server.js';

let server: E2eServer;
let browser: Browser;
const teamNames = ['فريق الشاطئ', 'فريق الجبل'];
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Damascus' }).format(new Date());

beforeAll(async () => {
  server = await startServer();
  await ensureCommodities(server);
  const { systemActor } = await import('../../src/domain/actor.js');
  const { createProgramme } = await import('../../src/modules/programmes/programmes.service.js');
  const { createCycle, openCycle } = await import('../../src/modules/cycles/cycles.service.js');
  const { createVolunteer } = await import('../../src/modules/volunteers/volunteers.service.js');
  const { createTeam } = await import('../../src/modules/teams/teams.service.js');
  const clock = () => new Date();
  const community = server.seed.communityPcodes[0] ?? '';
  const households = await registerHouseholds(
    server,
    Array.from({ length: 10 }, (_, index) => ({
      given: `ربّ${index}`,
      father: 'أحمد',
      family: `العائلة${index}`,
      size: 2,
    })),
  );
  // Scattered around Lattakia, a few hundred metres apart.
  for (const [index, household] of households.entries()) {
    await server.storage.db
      .updateTable('households')
      .set({
        latitude: 35.52 + ((index * 37) % 11) / 1000,
        longitude: 35.79 + ((index * 53) % 13) / 1000,
      })
      .where('id', '=', household.id)
      .execute();
  }
  const programme = await createProgramme(
    server.storage,
    systemActor,
    {
      code: 'door-bread',
      name_ar: 'خبز إلى الباب',
      name_en: 'Bread to the door',
      rules: { items: [{ commodity: 'bread', per_person: 1 }] },
    },
    clock,
  );
  const later = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const cycle = await createCycle(
    server.storage,
    systemActor,
    { programme_id: programme.id, starts_on: today, ends_on: later, area_pcodes: [community] },
    clock,
  );
  await openCycle(server.storage, systemActor, cycle.id, clock);
  for (const [index, name] of teamNames.entries()) {
    const volunteer = await createVolunteer(
      server.storage,
      systemActor,
      {
        given_name: `متطوع${index}`,
        family_name: 'الحلبي',
        phone: `09441000${index}0`,
        org_unit_id: server.seed.branchId,
        area_pcode: community,
      },
      clock,
    );
    await createTeam(
      server.storage,
      systemActor,
      {
        name,
        org_unit_id: server.seed.branchId,
        leader_id: volunteer.id,
        member_ids: [],
        area_pcodes: [community],
        required_trainings: [],
        max_stops: 6,
      },
      clock,
    );
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the runs board', () => {
  it('plans a day, shows the runs, opens a run with its map, moves a stop, and shows the dispatch refusal', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const login = server.logins.coordinator;
    await signIn(page, server.baseUrl, login.username, login.password);
    await page.goto(`${server.baseUrl}/runs`);
    await page.getByTestId('plan-day').click();
    const form = page.getByRole('form', { name: 'تخطيط يوم' });
    await form.getByLabel('دورة التوزيع').click();
    await page.getByRole('option').first().click();
    await form.locator('input[name="date"]').fill(today);
    await form.getByLabel('المنفذ المصدر').click();
    await page.getByRole('option').first().click();
    for (const name of teamNames) {
      await form.getByLabel('الفرق التطوعية').click();
      await page.getByRole('option', { name }).click();
    }
    await page.getByTestId('plan-day-submit').click();
    const result = page.getByTestId('plan-day-result');
    await result.waitFor();
    // Ten households, two teams of six stops: all planned, none left out.
    await expect(result.textContent()).resolves.toContain('١٠ أسرة');
    await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 15_000 }).toBe(2);
    await expect(page.getByTestId('runs-board').textContent()).resolves.toContain('كم');
    await screenshot(page, 'runs-board');

    const runs = (await (await page.request.get(`${server.baseUrl}/api/v1/runs`)).json()) as {
      items: { id: string; progress: { stops: number } }[];
    };
    const [bigger, smaller] = [...runs.items].sort((a, b) => b.progress.stops - a.progress.stops);
    await page.goto(`${server.baseUrl}/runs/${bigger!.id}`);
    await settle(page);
    await page.getByTestId('run-map').waitFor();
    expect(await page.getByTestId('run-map-stop').count()).toBe(bigger!.progress.stops);
    await expect(page.getByTestId('run-length').textContent()).resolves.toContain('كم');
    // The solver runs in the browser's Web Worker and previews its order on the map.
    await page.getByTestId('preview-order').click();
    await page.getByTestId('preview-length').waitFor();
    expect(await page.getByTestId('run-map-preview').count()).toBe(1);
    await screenshot(page, 'run-page');
    // Keep the previewed order: the server stores it and measures the same length.
    const previewed = (await page.getByTestId('preview-length').textContent()) ?? '';
    await page.getByTestId('keep-order').click();
    await page.getByTestId('preview-length').waitFor({ state: 'detached' });
    const kept = (await (
      await page.request.get(`${server.baseUrl}/api/v1/runs/${bigger!.id}`)
    ).json()) as { length_metres: number; stops: unknown[] };
    expect(kept.stops).toHaveLength(bigger!.progress.stops);
    const shown = (await page.getByTestId('run-length').textContent()) ?? '';
    expect(shown).not.toBe('');
    expect(previewed).toContain(shown);
    const audit = await server.storage.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', bigger!.id)
      .execute();
    expect(audit.map((row) => row.action)).toContain('run.order');

    // Move the first stop to the other run (it has room).
    await page.getByTestId('move-target').first().click();
    await page.getByRole('option').first().click();
    await page.getByTestId('move-stop').first().click();
    // The server re-orders both runs with the solver: allow it its time.
    await expect
      .poll(() => page.getByTestId('run-map-stop').count(), { timeout: 30_000 })
      .toBe(bigger!.progress.stops - 1);
    const other = (await (
      await page.request.get(`${server.baseUrl}/api/v1/runs/${smaller!.id}`)
    ).json()) as { stops: unknown[] };
    expect(other.stops).toHaveLength(smaller!.progress.stops + 1);

    // The team's volunteer has no permit: dispatch is refused, naming what is missing.
    await page.getByTestId('dispatch-run').click();
    const blocked = page.getByTestId('dispatch-blocked');
    await blocked.waitFor();
    await expect(blocked.textContent()).resolves.toContain('لا تصريح تنقل');
    await screenshot(page, 'run-dispatch-blocked');
    await context.close();
  }, 180_000);
});

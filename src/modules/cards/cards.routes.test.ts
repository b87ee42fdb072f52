import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/types.js';
import {
  buildHouseholdInput,
  seedTestAreas,
  testAreas,
} from '../households/households.factories.js';
import { resolveCard } from './cards.service.js';
import { verifyCardPayload } from './cards.signing.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');

describeEachDialect('cards HTTP', (storage) => {
  let app: AwnApp;
  let registrar: SignedIn;
  let clerk: SignedIn;
  let localRegistrar: SignedIn;

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    app = await buildTestApp(storage(), { clock });
    registrar = await loginAs(app, storage(), 'registrar', [testAreas.governorate]);
    clerk = await loginAs(app, storage(), 'outlet_clerk', [testAreas.governorate]);
    localRegistrar = await loginAs(app, storage(), 'registrar', [testAreas.otherSubdistrict]);
  });
  afterAll(async () => {
    await app.close();
  });

  async function register(overrides: Record<string, unknown> = {}) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/households',
      headers: registrar.headers,
      payload: buildHouseholdInput(overrides),
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; card_number: string };
  }

  it('publishes the public key without signing in; it verifies a reissued card payload', async () => {
    const household = await register();
    const published = await app.inject({ method: 'GET', url: '/api/v1/cards/public-key' });
    expect(published.statusCode).toBe(200);
    const key = published.json();
    expect(key).toMatchObject({ algorithm: 'Ed25519', pem: expect.stringContaining('PUBLIC KEY') });

    const reissued = await app.inject({
      method: 'POST',
      url: `/api/v1/households/${household.id}/card/reissue`,
      headers: registrar.headers,
      payload: { reason: 'بطاقة مفقودة' },
    });
    expect(reissued.statusCode).toBe(201);
    const card = reissued.json();
    expect(card).toMatchObject({ household_id: household.id, revoked: [household.card_number] });
    // An offline device holding only the published key accepts the new card.
    expect(verifyCardPayload(card.payload, createPublicKey(key.pem))).toMatchObject({
      ok: true,
      card_number: card.card_number,
      household_id: household.id,
    });
    expect(await resolveCard(storage().db, household.card_number)).toEqual({
      ok: false,
      code: 'card-revoked',
    });
    const read = await app.inject({
      method: 'GET',
      url: `/api/v1/households/${household.id}`,
      headers: { cookie: registrar.cookie },
    });
    expect(read.json().card_number).toBe(card.card_number);
  });

  it('refuses reissue without a reason, by a clerk, or outside the scope', async () => {
    const household = await register();
    const url = `/api/v1/households/${household.id}/card/reissue`;
    const noReason = await app.inject({
      method: 'POST',
      url,
      headers: registrar.headers,
      payload: {},
    });
    expect(noReason.statusCode).toBe(400);
    const byClerk = await app.inject({
      method: 'POST',
      url,
      headers: clerk.headers,
      payload: { reason: 'lost' },
    });
    expect(byClerk.statusCode).toBe(403);
    const outside = await app.inject({
      method: 'POST',
      url,
      headers: localRegistrar.headers,
      payload: { reason: 'lost' },
    });
    expect(outside.statusCode).toBe(404);
  });

  it('prints a card sheet as A4 HTML for one household or a filter', async () => {
    const household = await register({ head_given_name: 'ورقة', head_family_name: 'الطباعة' });
    const one = await app.inject({
      method: 'GET',
      url: `/api/v1/cards/sheet?household_id=${household.id}`,
      headers: { cookie: registrar.cookie },
    });
    expect(one.statusCode).toBe(200);
    expect(one.headers['content-type']).toContain('text/html');
    expect(one.headers['cache-control']).toBe('no-store');
    // Nothing but its own inline style and SVG may load, and no page may frame it.
    expect(one.headers['content-security-policy']).toContain("default-src 'none'");
    expect(one.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(one.headers['x-content-type-options']).toBe('nosniff');
    expect(one.body).toContain('dir="rtl"');
    expect(one.body).toContain('lang="ar"');
    expect(one.body).toContain('@page { size: A4');
    expect(one.body).toContain('ورقة');
    expect(one.body).toContain('<svg');
    // The shipped typeface, from this server; numbers in Arabic-Indic digits unless asked.
    expect(one.headers['content-security-policy']).toContain("font-src 'self'");
    expect(one.body).toContain('url(/fonts/noto-sans-arabic-400.woff2)');
    expect(one.body).toMatch(/عدد الأفراد: [٠-٩]+</u);
    const latin = await app.inject({
      method: 'GET',
      url: `/api/v1/cards/sheet?household_id=${household.id}&digits=latn`,
      headers: { cookie: registrar.cookie },
    });
    expect(latin.body).toMatch(/عدد الأفراد: [0-9]+</u);
    expect(latin.body).not.toMatch(/[٠-٩]/u);

    for (let index = 0; index < 2; index += 1) {
      await register({
        head_given_name: 'ورقة',
        head_family_name: `عائلة${'س'.repeat(index + 1)}`,
      });
    }
    const filtered = await app.inject({
      method: 'GET',
      url: `/api/v1/cards/sheet?q=${encodeURIComponent('ورقة')}&limit=2`,
      headers: { cookie: registrar.cookie },
    });
    expect(filtered.statusCode).toBe(200);
    expect(filtered.body.match(/class="card"/gu)).toHaveLength(2);
    expect(filtered.headers['x-next-cursor']).toEqual(expect.any(String));

    const byClerk = await app.inject({
      method: 'GET',
      url: `/api/v1/cards/sheet?household_id=${household.id}`,
      headers: { cookie: clerk.cookie },
    });
    expect(byClerk.statusCode).toBe(403);
    const outside = await app.inject({
      method: 'GET',
      url: `/api/v1/cards/sheet?household_id=${household.id}`,
      headers: { cookie: localRegistrar.cookie },
    });
    expect(outside.statusCode).toBe(404);
  });
});

/**
 * Household notices and the public entitlement check on both databases: a notice to an area's
 * households with a phone and no opt-out, with delivery states in the message log; the check
 * answers only with the card and the phone's last four digits, one 404 for either wrong,
 * 429 past its limit, and an audit event for every check.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/app.js';
import {
  buildHouseholdInput,
  seedTestAreas,
  testAreas,
} from '../households/households.factories.js';
import { testMessagingConfig } from '../messaging/messaging.fixtures.js';

describeEachDialect('household notices', (storage, dialect) => {
  let app: AwnApp;
  let coordinator: SignedIn;
  let admin: SignedIn;
  const cards: string[] = [];

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    app = await buildTestApp(storage(), { messaging: testMessagingConfig(null) });
    coordinator = await loginAs(app, storage(), 'coordinator');
    admin = await loginAs(app, storage(), 'admin');
    for (const phone of ['0933300001', '0933300002', undefined]) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/households',
        headers: admin.headers,
        payload: buildHouseholdInput(phone ? { phone } : {}),
      });
      expect(response.statusCode).toBe(201);
      cards.push(response.json().card_number as string);
      if (phone === '0933300002') {
        await app.inject({
          method: 'PUT',
          url: '/api/v1/messaging/opt-outs',
          headers: admin.headers,
          payload: { household_id: response.json().id, channel: 'sms', opted_out: true },
        });
      }
    }
  });
  afterAll(async () => {
    await app.close();
  });

  it('sends a template to the households of an area, with delivery states', async () => {
    await app.inject({
      method: 'PUT',
      url: '/api/v1/message-templates',
      headers: coordinator.headers,
      payload: {
        code: 'team_tomorrow',
        channel: 'sms',
        body_ar: 'سيزور فريق التوزيع منطقتكم غداً {{date}}.',
        body_en: 'A delivery team visits your area tomorrow, {{date}}.',
      },
    });
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/notices',
      headers: coordinator.headers,
      payload: { template_code: 'team_tomorrow', area_pcodes: [testAreas.subdistrict] },
    });
    expect(missing.statusCode).toBe(400);
    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/notices',
      headers: coordinator.headers,
      payload: {
        template_code: 'team_tomorrow',
        area_pcodes: [testAreas.subdistrict],
        values: { date: '2026-12-09' },
      },
    });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toMatchObject({
      households: 2,
      queued: 1,
      skipped: 1,
      sms: { encoding: 'ucs2', segments: 1 },
    });
    const log = await app.inject({
      method: 'GET',
      url: `/api/v1/messages?source_kind=notice&source_id=${sent.json().id}`,
      headers: { cookie: coordinator.cookie },
    });
    expect(log.json().items).toEqual([
      expect.objectContaining({ status: 'queued', template_code: 'team_tomorrow' }),
    ]);
  });

  it('answers a citizen with the card and the last four digits only, limited and audited', async () => {
    const check = (card_number: string, phone_last4: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/public/entitlement-check',
        payload: { card_number, phone_last4 },
        remoteAddress: `10.0.${dialect === 'sqlite' ? 1 : 2}.1`,
      });
    const right = await check(cards[0] ?? '', '٠٠٠١');
    expect(right.statusCode).toBe(200);
    expect(right.json()).toEqual({ items: [] });
    const wrongDigits = await check(cards[0] ?? '', '9999');
    const wrongCard = await check('1234567890', '0001');
    expect([wrongDigits.statusCode, wrongCard.statusCode]).toEqual([404, 404]);
    expect(wrongDigits.json().code).toBe('no-match');
    expect(wrongCard.json().code).toBe('no-match');
    expect(JSON.stringify(right.json())).not.toContain('0933');
    // Five checks of one card in the window at most.
    const statuses = [];
    for (let index = 0; index < 4; index += 1)
      statuses.push((await check(cards[0] ?? '', '0001')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const audit = await storage()
      .db.selectFrom('audit_events')
      .select(['action', 'fields_json'])
      .where('action', 'in', ['read', 'entitlement_check.miss'])
      .where('actor_id', 'is', null)
      .execute();
    expect(audit.filter((event) => event.action === 'entitlement_check.miss')).toHaveLength(2);
    expect(
      audit.filter((event) => event.fields_json.includes('entitlements')).length,
    ).toBeGreaterThanOrEqual(3);
  });
});

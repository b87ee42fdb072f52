/**
 * Circulars on both databases: a 4-level tree of 200 units with a user in every unit and a
 * volunteer in every leaf; publish; acknowledgements from some members (signed in, and through
 * volunteers' personal links) give exact reach figures; reminders go only to the rest, and
 * parents hear which units lag; the public version reaches households with a phone and no
 * opt-out.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../domain/actor.js';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/app.js';
import { systemClock } from '../../shared/clock.js';
import {
  buildHouseholdInput,
  seedTestAreas,
  testAreas,
} from '../households/households.factories.js';
import { testMessagingConfig } from '../messaging/messaging.fixtures.js';
import { acknowledgeCircular } from './circulars.service.js';

interface Unit {
  id: string;
  parent: string | null;
  path: string;
  level: number;
}

function buildTree(): Unit[] {
  const units: Unit[] = [];
  const add = (parent: Unit | null, level: number) => {
    const id = randomUUID();
    const unit = { id, parent: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`, level };
    units.push(unit);
    return unit;
  };
  const branch = add(null, 0);
  const sections = Array.from({ length: 4 }, () => add(branch, 1));
  const middle = Array.from({ length: 35 }, (_, index) => add(sections[index % 4] ?? branch, 2));
  Array.from({ length: 160 }, (_, index) => add(middle[index % 35] ?? branch, 3));
  return units;
}

describeEachDialect('circulars down a 200-unit tree', (storage) => {
  let app: AwnApp;
  let coordinator: SignedIn;
  let member: SignedIn;
  const units = buildTree();
  const leaves = units.filter((unit) => unit.level === 3);
  const userOf = new Map<string, string>();
  const now = new Date().toISOString();

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    const db = storage().db;
    for (const unit of units) {
      await db
        .insertInto('org_units')
        .values({
          id: unit.id,
          parent_id: unit.parent,
          kind: unit.level === 0 ? 'branch' : unit.level === 1 ? 'section' : 'unit',
          name_ar: `وحدة ${unit.id.slice(0, 4)}`,
          name_en: `Unit ${unit.id.slice(0, 4)}`,
          path: unit.path,
          created_at: now,
        })
        .execute();
      const userId = randomUUID();
      userOf.set(unit.id, userId);
      await db
        .insertInto('users')
        .values({
          id: userId,
          username: `member-${userId}`,
          display_name: 'عضو',
          password_hash: 'none',
          role: 'volunteer',
          disabled_at: null,
          created_at: now,
        })
        .execute();
      await db
        .insertInto('user_scopes')
        .values({ user_id: userId, org_unit_id: unit.id, area_pcode: null })
        .execute();
    }
    let index = 0;
    for (const leaf of leaves) {
      index += 1;
      await db
        .insertInto('volunteers')
        .values({
          id: randomUUID(),
          given_name: 'متطوع',
          family_name: 'الأحمد',
          name_latin: null,
          phone: `+96394${String(index).padStart(7, '0')}`,
          national_id: null,
          sex: null,
          birth_year: null,
          area_pcode: testAreas.community,
          org_unit_id: leaf.id,
          skills_json: '[]',
          availability_json: '[]',
          status: 'active',
          status_on: now.slice(0, 10),
          user_id: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    app = await buildTestApp(storage(), { messaging: testMessagingConfig(null) });
    coordinator = await loginAs(app, storage(), 'coordinator');
    // One more member of a leaf, signed in over HTTP.
    member = await loginAs(app, storage(), 'team_leader', [leaves[0]?.id ?? '']);
  });
  afterAll(async () => {
    await app.close();
  });

  it('cascades, measures reach exactly, and reminds only the rest', async () => {
    // Households: two with a phone in the area, one opted out, one without a phone.
    const admin = await loginAs(app, storage(), 'admin');
    const household = async (phone?: string) => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/households',
        headers: admin.headers,
        payload: buildHouseholdInput(phone ? { phone } : {}),
      });
      expect(response.statusCode).toBe(201);
      return response.json().id as string;
    };
    await household('0933200001');
    await household('0933200002');
    const optedOut = await household('0933200003');
    await household();
    await app.inject({
      method: 'PUT',
      url: '/api/v1/messaging/opt-outs',
      headers: admin.headers,
      payload: { household_id: optedOut, channel: 'sms', opted_out: true },
    });

    const branch = units[0] as Unit;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/circulars',
      headers: coordinator.headers,
      payload: {
        title: 'تعميم بشأن حظر التجول',
        body: 'يرجى من جميع الوحدات الالتزام بمواعيد التوزيع الجديدة.',
        from_org_unit_id: branch.id,
        ack_required: true,
        due_at: '2026-12-09T12:00:00Z',
        public: {
          body: 'مواعيد توزيع الخبز الجديدة من 8 إلى 12.',
          area_pcodes: [testAreas.subdistrict],
        },
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      status: 'draft',
      public: { sms: { encoding: 'ucs2', segments: 1 } },
    });
    const id = created.json().id as string;

    const outsider = await app.inject({
      method: 'POST',
      url: `/api/v1/circulars/${id}/acknowledge`,
      headers: member.headers,
    });
    expect(outsider.statusCode).toBe(404);

    const published = await app.inject({
      method: 'POST',
      url: `/api/v1/circulars/${id}/publish`,
      headers: coordinator.headers,
    });
    expect(published.statusCode).toBe(200);
    // 200 users, the signed-in member, 160 volunteers.
    expect(published.json()).toEqual({
      id,
      status: 'published',
      units: 200,
      members: 361,
      public_queued: 2,
    });
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/circulars/${id}/publish`,
      headers: coordinator.headers,
    });
    expect(again.json().code).toBe('circular-published');

    // Acknowledgements: the HTTP member; users of every third leaf; volunteers of every fourth leaf by link.
    const ack = await app.inject({
      method: 'POST',
      url: `/api/v1/circulars/${id}/acknowledge`,
      headers: member.headers,
    });
    expect(ack.statusCode).toBe(200);
    const ackedLeafUsers = leaves.filter((_, index) => index % 3 === 0);
    for (const leaf of ackedLeafUsers) {
      const actor: Actor = {
        kind: 'user',
        userId: userOf.get(leaf.id) ?? null,
        role: 'volunteer',
        scope: { kind: 'all' },
        requestId: null,
      };
      await acknowledgeCircular(storage(), actor, id, systemClock);
    }
    const sms = await storage()
      .db.selectFrom('messages')
      .select(['recipient', 'body'])
      .where('source_kind', '=', 'circular')
      .where('source_id', '=', id)
      .where('channel', '=', 'sms')
      .orderBy('recipient')
      .execute();
    expect(sms).toHaveLength(160);
    const links = sms
      .filter((_, index) => index % 4 === 0)
      .map((row) => /\/c\/([A-Za-z0-9_-]+)/u.exec(row.body)?.[1] ?? '');
    for (const token of links) {
      const read = await app.inject({ method: 'GET', url: `/api/v1/circular-links/${token}` });
      expect(read.json()).toMatchObject({ title: 'تعميم بشأن حظر التجول', acknowledged_at: null });
      const byLink = await app.inject({
        method: 'POST',
        url: `/api/v1/circular-links/${token}/acknowledge`,
      });
      expect(byLink.statusCode).toBe(200);
    }
    const acknowledged = 1 + ackedLeafUsers.length + links.length;

    const reach = await app.inject({
      method: 'GET',
      url: `/api/v1/circulars/${id}/reach`,
      headers: { cookie: coordinator.cookie },
    });
    expect(reach.statusCode).toBe(200);
    const body = reach.json() as {
      members: number;
      acknowledged: number;
      pending: number;
      median_ack_ms: number | null;
      units: { org_unit_id: string; members: number; acknowledged: number }[];
      levels: { level: number; units: number; members: number; acknowledged: number }[];
      public: Record<string, number>;
    };
    expect(body).toMatchObject({ members: 361, acknowledged, pending: 361 - acknowledged });
    expect(body.median_ack_ms).not.toBeNull();
    expect(body.units).toHaveLength(200);
    expect(body.levels.map((level) => [level.level, level.units, level.members])).toEqual([
      [0, 1, 1],
      [1, 4, 4],
      [2, 35, 35],
      [3, 160, 321],
    ]);
    expect(body.levels[3]?.acknowledged).toBe(acknowledged);
    const first = body.units.find((unit) => unit.org_unit_id === leaves[0]?.id);
    // The first leaf: its user (acknowledged), the HTTP member (acknowledged), its volunteer.
    expect(first?.members).toBe(3);
    expect(body.public).toEqual({ queued: 2, sent: 0, delivered: 0, failed: 0 });

    const reminded = await app.inject({
      method: 'POST',
      url: `/api/v1/circulars/${id}/remind`,
      headers: coordinator.headers,
    });
    expect(reminded.statusCode).toBe(200);
    expect(reminded.json().reminded).toBe(361 - acknowledged);
    const reminders = await storage()
      .db.selectFrom('messages')
      .select(['recipient', 'channel'])
      .where('source_kind', '=', 'circular_reminder')
      .where('source_id', '=', id)
      .execute();
    expect(reminders).toHaveLength(361 - acknowledged);
    const ackedUsers = new Set([
      member.user.id,
      ...ackedLeafUsers.map((leaf) => userOf.get(leaf.id)),
    ]);
    for (const reminder of reminders) {
      if (reminder.channel === 'inbox') expect(ackedUsers.has(reminder.recipient)).toBe(false);
    }
    // Volunteers who acknowledged are not reminded (their old links stay acknowledged).
    const ackedPhones = new Set(
      sms.filter((_, index) => index % 4 === 0).map((row) => row.recipient),
    );
    for (const reminder of reminders) {
      if (reminder.channel === 'sms') expect(ackedPhones.has(reminder.recipient)).toBe(false);
    }
    // Parents of lagging units are told: every level-2 unit has lagging leaves, and so on up.
    expect(reminded.json().parents_told).toBeGreaterThanOrEqual(35);
    const text = await app.inject({
      method: 'GET',
      url: `/api/v1/circulars/${id}/public.txt`,
      headers: { cookie: coordinator.cookie },
    });
    expect(text.body).toContain('مواعيد توزيع الخبز');
  }, 120_000);

  it('stores attachments with a circular and serves them, refusing files that are not what they say', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/circulars',
      headers: coordinator.headers,
      payload: { title: 'مرفقات', body: 'نص', from_org_unit_id: units[0]?.id, ack_required: false },
    });
    const id = created.json().id as string;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 7)]);
    const upload = (body: Buffer, type: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/circulars/${id}/attachments?filename=${encodeURIComponent('تعميم.pdf')}`,
        headers: { ...coordinator.headers, 'content-type': type },
        payload: body,
      });
    const added = await upload(pdf, 'application/pdf');
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      filename: 'تعميم.pdf',
      media_type: 'application/pdf',
      size_bytes: pdf.length,
    });
    expect((await upload(Buffer.from('not a pdf'), 'application/pdf')).json().errors[0].code).toBe(
      'content-mismatch',
    );
    expect((await upload(Buffer.from('hello'), 'text/plain')).statusCode).toBe(415);
    const list = await app.inject({
      method: 'GET',
      url: `/api/v1/circulars/${id}/attachments`,
      headers: { cookie: coordinator.cookie },
    });
    expect(list.json().items).toHaveLength(1);
    const file = await app.inject({
      method: 'GET',
      url: `/api/v1/circulars/${id}/attachments/${added.json().id}`,
      headers: { cookie: coordinator.cookie },
    });
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.equals(pdf)).toBe(true);
  });
});

/**
 * Meetings and seminars on both databases: capacity under distancing, the capacity + 1st
 * registration waitlisted, 50 racing registrations confirming exactly the capacity, racing
 * cancellations each promoting exactly one (and telling them through the outbox), QR check-in,
 * attendance, minutes and action items with reminders.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../domain/actor.js';
import { distancedCapacity } from '../../domain/meetings/capacity.js';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/app.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { seedTestAreas, testAreas } from '../households/households.factories.js';
import { testMessagingConfig } from '../messaging/messaging.fixtures.js';
import { remindActionItems } from './meetings.actions.js';
import { cancelRegistration, register } from './meetings.service.js';

describe('distanced capacity', () => {
  it('is the smaller of the seats and the floor area over the rule', () => {
    expect(distancedCapacity(50, 100, 4)).toBe(25);
    expect(distancedCapacity(20, 100, 4)).toBe(20);
    expect(distancedCapacity(100, 100, 2.5)).toBe(40);
    expect(distancedCapacity(100, 10, 4)).toBe(2);
  });
});

describeEachDialect('meetings and seminars', (storage, dialect) => {
  let app: AwnApp;
  let coordinator: SignedIn;
  let orgUnitId: string;
  let venueId: string;

  const createMeeting = async (m2_per_person: number, kind = 'seminar') => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/meetings',
      headers: coordinator.headers,
      payload: {
        kind,
        title: 'ندوة التوعية بالوقاية',
        venue_id: venueId,
        starts_at: '2026-12-20T09:00:00Z',
        ends_at: '2026-12-20T11:00:00Z',
        org_unit_id: orgUnitId,
        m2_per_person,
      },
    });
    expect(response.statusCode).toBe(201);
    return response.json() as { id: string; capacity: number };
  };
  const registerHttp = (meetingId: string, payload: object) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/meetings/${meetingId}/registrations`,
      headers: coordinator.headers,
      payload,
    });
  const statuses = async (meetingId: string) =>
    storage()
      .db.selectFrom('meeting_registrations')
      .select(['id', 'status', 'seq'])
      .where('meeting_id', '=', meetingId)
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    orgUnitId = randomUUID();
    await storage()
      .db.insertInto('org_units')
      .values({
        id: orgUnitId,
        parent_id: null,
        kind: 'branch',
        name_ar: 'فرع اللاذقية',
        name_en: 'Lattakia branch',
        path: `/${orgUnitId}/`,
        created_at: new Date().toISOString(),
      })
      .execute();
    app = await buildTestApp(storage(), { messaging: testMessagingConfig(null) });
    coordinator = await loginAs(app, storage(), 'coordinator');
    const venue = await app.inject({
      method: 'POST',
      url: '/api/v1/venues',
      headers: coordinator.headers,
      payload: {
        name_ar: 'قاعة المركز',
        area_pcode: testAreas.community,
        floor_area_m2: 60,
        seats: 40,
      },
    });
    expect(venue.statusCode).toBe(201);
    expect(venue.json()).toMatchObject({ capacity: 15, m2_per_person_default: 4 });
    venueId = venue.json().id as string;
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses an unknown venue, org unit or area, and an end before the start', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/meetings',
      headers: coordinator.headers,
      payload: {
        kind: 'meeting',
        title: 'x',
        venue_id: 'nope',
        starts_at: '2026-12-20T09:00:00Z',
        ends_at: '2026-12-20T08:00:00Z',
        org_unit_id: 'nope',
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((issue: { code: string }) => issue.code)).toEqual([
      'unknown-venue',
      'unknown-org-unit',
      'ends-before-starts',
    ]);
    const venue = await app.inject({
      method: 'POST',
      url: '/api/v1/venues',
      headers: coordinator.headers,
      payload: { name_ar: 'قاعة', area_pcode: 'XX99', floor_area_m2: 10, seats: 4 },
    });
    expect(venue.json().errors[0]).toMatchObject({ path: '/area_pcode', code: 'unknown-area' });
  });

  it('waitlists the capacity + 1st and promotes exactly one on a cancellation, telling them', async () => {
    // 60 m² at 20 m² a person: 3 places.
    const meeting = await createMeeting(20);
    expect(meeting.capacity).toBe(3);
    const answers = [];
    for (let index = 0; index < 5; index += 1) {
      const response = await registerHttp(meeting.id, {
        name: `مشارك ${index}`,
        phone: `09331000${String(index).padStart(2, '0')}`,
      });
      expect(response.statusCode).toBe(201);
      answers.push(response.json() as { id: string; status: string; checkin_code: string });
    }
    expect(answers.map((answer) => answer.status)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'waitlisted',
      'waitlisted',
    ]);
    // Cancelling a waiting registration promotes no one.
    const waiting = await app.inject({
      method: 'DELETE',
      url: `/api/v1/meetings/${meeting.id}/registrations/${answers[4]?.id}`,
      headers: coordinator.headers,
    });
    expect(waiting.json().promoted).toBeNull();
    const cancelled = await app.inject({
      method: 'DELETE',
      url: `/api/v1/meetings/${meeting.id}/registrations/${answers[0]?.id}`,
      headers: coordinator.headers,
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().promoted).toMatchObject({ id: answers[3]?.id, status: 'confirmed' });
    // Cancelling again changes nothing and promotes no one.
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/v1/meetings/${meeting.id}/registrations/${answers[0]?.id}`,
      headers: coordinator.headers,
    });
    expect(again.json()).toMatchObject({ registration: { status: 'cancelled' }, promoted: null });
    expect((await statuses(meeting.id)).map((row) => row.status)).toEqual([
      'cancelled',
      'confirmed',
      'confirmed',
      'confirmed',
      'cancelled',
    ]);
    // The promoted was told by SMS, through the outbox.
    const messages = await app.inject({
      method: 'GET',
      url: `/api/v1/messages?source_kind=meeting_registration&source_id=${answers[3]?.id}`,
      headers: { cookie: coordinator.cookie },
    });
    expect(messages.json().items).toEqual([
      expect.objectContaining({ channel: 'sms', status: 'queued' }),
    ]);
    const registrations = await app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${meeting.id}/registrations?limit=2`,
      headers: { cookie: coordinator.cookie },
    });
    expect(registrations.json().items).toHaveLength(2);
    expect(registrations.json().next_cursor).toBe('2');
    const rest = await app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${meeting.id}/registrations?limit=5&cursor=2`,
      headers: { cookie: coordinator.cookie },
    });
    expect(rest.json().items.map((item: { position: number }) => item.position)).toEqual([3, 4, 5]);

    // QR check-in at the door: confirmed only, once.
    const qr = await app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${meeting.id}/registrations/${answers[1]?.id}/qr.svg`,
      headers: { cookie: coordinator.cookie },
    });
    expect(qr.headers['content-type']).toContain('image/svg+xml');
    const checkIn = (code: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/meetings/${meeting.id}/check-in`,
        headers: coordinator.headers,
        payload: { code },
      });
    const first = await checkIn(`AWN-MEET:${meeting.id}:${answers[1]?.checkin_code}`);
    expect(first.statusCode).toBe(200);
    const second = await checkIn(answers[1]?.checkin_code ?? '');
    expect(second.json().checked_in_at).toBe(first.json().checked_in_at);
    expect((await checkIn(answers[4]?.checkin_code ?? '')).json().code).toBe(
      'registration-not-confirmed',
    );
    expect((await checkIn('forged')).statusCode).toBe(404);
    const attendance = await app.inject({
      method: 'GET',
      url: `/api/v1/meetings/${meeting.id}/attendance`,
      headers: { cookie: coordinator.cookie },
    });
    expect(attendance.json()).toEqual({
      capacity: 3,
      confirmed: 3,
      waitlisted: 0,
      cancelled: 2,
      checked_in: 1,
    });
  });

  it('confirms exactly the capacity among 50 racing registrations; racing cancellations promote one each', async () => {
    // 60 m² at 6 m² a person: 10 places.
    const meeting = await createMeeting(6);
    expect(meeting.capacity).toBe(10);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        register(storage(), systemActor, meeting.id, { name: `مسجل ${index}` }, systemClock),
      ),
    );
    expect(results.filter((result) => result.status === 'confirmed')).toHaveLength(10);
    expect(results.filter((result) => result.status === 'waitlisted')).toHaveLength(40);
    expect(new Set(results.map((result) => result.position)).size).toBe(50);
    const confirmed = results.filter((result) => result.status === 'confirmed');
    const cancellations = await Promise.all(
      confirmed
        .slice(0, 5)
        .map((result) =>
          cancelRegistration(storage(), systemActor, meeting.id, result.id, systemClock),
        ),
    );
    const promoted = cancellations.map((cancellation) => cancellation.promoted?.id);
    expect(promoted.every((id) => id !== undefined)).toBe(true);
    expect(new Set(promoted).size).toBe(5);
    const rows = await statuses(meeting.id);
    expect(rows.filter((row) => row.status === 'confirmed')).toHaveLength(10);
    // The promoted are the first five on the waiting list.
    const waitingOrder = results
      .filter((result) => result.status === 'waitlisted')
      .sort((a, b) => a.position - b.position)
      .map((result) => result.id);
    expect(new Set(promoted)).toEqual(new Set(waitingOrder.slice(0, 5)));
    const meetingRow = await storage()
      .db.selectFrom('meetings')
      .select('confirmed_count')
      .where('id', '=', meeting.id)
      .executeTakeFirstOrThrow();
    expect(meetingRow.confirmed_count).toBe(10);
  }, 60_000);

  it('keeps minutes, decisions and action items, with the follow-up per unit and reminders', async () => {
    const meeting = await createMeeting(4, 'meeting');
    const minutes = await app.inject({
      method: 'PUT',
      url: `/api/v1/meetings/${meeting.id}/minutes`,
      headers: coordinator.headers,
      payload: { minutes: 'ناقش الاجتماع توزيع الكمامات.', decisions: ['توزيع 10000 كمامة'] },
    });
    expect(minutes.json()).toMatchObject({ decisions: ['توزيع 10000 كمامة'] });
    const item = (title: string, due_on: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/meetings/${meeting.id}/action-items`,
        headers: coordinator.headers,
        payload: { title, owner_user_id: coordinator.user.id, due_on },
      });
    const late = await item('تسليم الكمامات للمديرية', '2026-01-01');
    const due = await item('تقرير التوزيع', '2099-01-01');
    expect(late.json()).toMatchObject({ status: 'open', late: true });
    expect(due.json()).toMatchObject({ late: false });
    const followUp = await app.inject({
      method: 'GET',
      url: `/api/v1/action-items?meeting_id=${meeting.id}`,
      headers: { cookie: coordinator.cookie },
    });
    expect(followUp.json().units).toEqual([{ org_unit_id: orgUnitId, open: 2, late: 1 }]);
    const lateOnly = await app.inject({
      method: 'GET',
      url: `/api/v1/action-items?meeting_id=${meeting.id}&state=late`,
      headers: { cookie: coordinator.cookie },
    });
    expect(lateOnly.json().items.map((entry: { id: string }) => entry.id)).toEqual([
      late.json().id,
    ]);

    // Reminders: the late one now; the other the day before it is due; each once.
    expect(await remindActionItems(storage(), systemClock)).toBeGreaterThanOrEqual(1);
    expect(await remindActionItems(storage(), systemClock)).toBe(0);
    const dayBefore: Clock = () => new Date('2098-12-31T10:00:00Z');
    expect(await remindActionItems(storage(), dayBefore)).toBeGreaterThanOrEqual(1);
    const inbox = await storage()
      .db.selectFrom('messages')
      .select(['source_id', 'template_code', 'channel'])
      .where('source_kind', '=', 'action_item')
      .where('source_id', 'in', [late.json().id, due.json().id])
      .orderBy('template_code')
      .execute();
    expect(inbox).toEqual([
      { source_id: due.json().id, template_code: 'action_item_due', channel: 'inbox' },
      { source_id: late.json().id, template_code: 'action_item_late', channel: 'inbox' },
    ]);
    const done = await app.inject({
      method: 'PATCH',
      url: `/api/v1/action-items/${late.json().id}`,
      headers: coordinator.headers,
      payload: { status: 'done' },
    });
    expect(done.json()).toMatchObject({ status: 'done', late: false });
    void dialect;
  });
});

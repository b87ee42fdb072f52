/**
 * Meetings and seminars: venues sized by a distancing rule, registrations confirmed up to the
 * capacity and waitlisted past it (a cancellation promotes the first waiting and tells them
 * through the outbox, in the same transaction), check-in by QR, minutes and action items.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { normalizePhone } from '../../domain/identity/phone.js';
import { distancedCapacity } from '../../domain/meetings/capacity.js';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { getArea } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { queueMessages, renderMessage, type MessageInput } from '../messaging/messaging.service.js';
import { getOrgUnit } from '../org-units/org-units.service.js';
import {
  countRegistrations,
  findFirstWaitlisted,
  findMeeting,
  findMeetings,
  findRegistration,
  findRegistrationByCode,
  findRegistrations,
  findVenue,
  findVenues,
  insertMeeting,
  insertRegistration,
  insertVenue,
  nextSeq,
  releaseSeat,
  takeSeat,
  updateMeeting,
  updateRegistration,
  type MeetingRecord,
  type RegistrationRecord,
  type VenueRecord,
} from './meetings.repository.js';
import type {
  CreateMeetingInput,
  CreateVenueInput,
  MeetingListInput,
  MeetingView,
  RegisterInput,
  RegistrationView,
  VenueView,
} from './meetings.schema.js';

/** AWN_M2_PER_PERSON: the distancing rule when a meeting names none (default 4 m² a person). */
export function defaultM2PerPerson(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AWN_M2_PER_PERSON;
  const value = raw === undefined || raw.trim() === '' ? 4 : Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`AWN_M2_PER_PERSON must be a positive number, not "${raw}"`);
  }
  return value;
}

function presentVenue(row: VenueRecord): VenueView {
  const rule = defaultM2PerPerson();
  return {
    id: row.id,
    name_ar: row.name_ar,
    name_en: row.name_en,
    area_pcode: row.area_pcode,
    floor_area_m2: Number(row.floor_area_m2),
    seats: row.seats,
    m2_per_person_default: rule,
    capacity: distancedCapacity(row.seats, Number(row.floor_area_m2), rule),
    created_at: row.created_at,
  };
}

export function presentMeeting(row: MeetingRecord): MeetingView {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    venue_id: row.venue_id,
    org_unit_id: row.org_unit_id,
    starts_at: row.starts_at,
    ends_at: row.ends_at,
    m2_per_person: Number(row.m2_per_person),
    capacity: row.capacity,
    confirmed: row.confirmed_count,
    agenda: row.agenda,
    minutes: row.minutes,
    decisions: JSON.parse(row.decisions_json) as string[],
    created_at: row.created_at,
  };
}

function presentRegistration(row: RegistrationRecord): RegistrationView {
  return {
    id: row.id,
    meeting_id: row.meeting_id,
    status: row.status,
    position: row.seq,
    name: row.name,
    user_id: row.user_id,
    volunteer_id: row.volunteer_id,
    checked_in_at: row.checked_in_at,
    promoted_at: row.promoted_at,
    cancelled_at: row.cancelled_at,
    created_at: row.created_at,
  };
}

export async function createVenue(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateVenueInput,
  clock: Clock,
): Promise<VenueView> {
  await getArea(storage.db, input.area_pcode).catch(() => {
    throw new ValidationError([
      { path: '/area_pcode', message: 'is not a known area', code: 'unknown-area' },
    ]);
  });
  const row: VenueRecord = {
    id: randomUUID(),
    name_ar: input.name_ar.trim(),
    name_en: input.name_en?.trim() ?? null,
    area_pcode: input.area_pcode,
    floor_area_m2: input.floor_area_m2,
    seats: input.seats,
    created_at: clock().toISOString(),
  };
  await writeTransaction(storage, async (trx) => {
    await insertVenue(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'venue.create',
        entity: 'venue',
        entityId: row.id,
        fields: ['name_ar', 'name_en', 'area_pcode', 'floor_area_m2', 'seats'],
      },
      clock,
    );
  });
  return presentVenue(row);
}

export async function listVenues(db: Executor): Promise<VenueView[]> {
  return (await findVenues(db)).map(presentVenue);
}

export async function createMeeting(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateMeetingInput,
  clock: Clock,
): Promise<MeetingView> {
  const venue = await findVenue(storage.db, input.venue_id);
  const issues = [];
  if (!venue)
    issues.push({ path: '/venue_id', message: 'is not a known venue', code: 'unknown-venue' });
  const unitKnown = await getOrgUnit(storage.db, input.org_unit_id).then(
    () => true,
    () => false,
  );
  if (!unitKnown) {
    issues.push({
      path: '/org_unit_id',
      message: 'is not a known org unit',
      code: 'unknown-org-unit',
    });
  }
  const starts = new Date(input.starts_at);
  const ends = new Date(input.ends_at);
  if (!(ends.getTime() > starts.getTime())) {
    issues.push({
      path: '/ends_at',
      message: 'must be after starts_at',
      code: 'ends-before-starts',
    });
  }
  if (issues.length > 0 || !venue) throw new ValidationError(issues);
  const m2 = input.m2_per_person ?? defaultM2PerPerson();
  const now = clock().toISOString();
  const row: MeetingRecord = {
    id: randomUUID(),
    kind: input.kind,
    title: input.title.trim(),
    venue_id: venue.id,
    org_unit_id: input.org_unit_id,
    starts_at: starts.toISOString(),
    ends_at: ends.toISOString(),
    m2_per_person: m2,
    capacity: distancedCapacity(venue.seats, Number(venue.floor_area_m2), m2),
    confirmed_count: 0,
    registered_count: 0,
    agenda: input.agenda ?? null,
    minutes: null,
    decisions_json: '[]',
    created_by: actor.userId,
    created_at: now,
    updated_at: now,
  };
  await writeTransaction(storage, async (trx) => {
    await insertMeeting(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'meeting.create',
        entity: 'meeting',
        entityId: row.id,
        fields: [
          'kind',
          'title',
          'venue_id',
          'org_unit_id',
          'starts_at',
          'ends_at',
          'm2_per_person',
          'agenda',
        ],
      },
      clock,
    );
  });
  return presentMeeting(row);
}

async function meetingOrThrow(db: Executor, id: string): Promise<MeetingRecord> {
  const meeting = await findMeeting(db, id);
  if (!meeting) throw new NotFoundError('meeting');
  return meeting;
}

export async function getMeeting(db: Executor, id: string): Promise<MeetingView> {
  return presentMeeting(await meetingOrThrow(db, id));
}

function meetingCursor(row: MeetingRecord): string {
  return Buffer.from(`${row.starts_at}|${row.id}`, 'utf8').toString('base64url');
}

function decodeMeetingCursor(cursor: string): { starts_at: string; id: string } {
  const [starts_at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!starts_at || !id || meetingCursor({ starts_at, id } as MeetingRecord) !== cursor) {
    throw new ValidationError([{ path: '/cursor', message: 'is not a valid cursor' }]);
  }
  return { starts_at, id };
}

/** Meetings by start (the calendar), paged. */
export async function listMeetings(
  db: Executor,
  query: MeetingListInput,
): Promise<{ items: MeetingView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 50;
  const rows = await findMeetings(
    db,
    {
      ...(query.from !== undefined ? { from: new Date(query.from).toISOString() } : {}),
      ...(query.to !== undefined ? { to: new Date(query.to).toISOString() } : {}),
      ...(query.org_unit_id !== undefined ? { org_unit_id: query.org_unit_id } : {}),
    },
    query.cursor !== undefined ? decodeMeetingCursor(query.cursor) : null,
    limit,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(presentMeeting),
    next_cursor: rows.length > limit && last ? meetingCursor(last) : null,
  };
}

/**
 * Registers someone: `confirmed` while a seat is free, else `waitlisted`. The seat is taken
 * by a conditional update of the meeting's count (see takeSeat), so racing registrations
 * never confirm more than the capacity. The answer carries the check-in code of the QR.
 */
export async function register(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  meetingId: string,
  input: RegisterInput,
  clock: Clock,
): Promise<RegistrationView & { checkin_code: string }> {
  let phone: string | null = null;
  if (input.phone !== undefined) {
    const normalized = normalizePhone(input.phone);
    if (!normalized.ok) {
      throw new ValidationError([
        { path: '/phone', message: 'is not a phone number', code: 'phone-invalid' },
      ]);
    }
    phone = normalized.e164;
  }
  return writeTransaction(storage, async (trx) => {
    await meetingOrThrow(trx, meetingId);
    // Locks the meeting's row first: registrations of one meeting then queue up behind it.
    const seq = await nextSeq(trx, meetingId);
    const confirmed = await takeSeat(trx, meetingId);
    const row: RegistrationRecord = {
      id: randomUUID(),
      meeting_id: meetingId,
      seq,
      name: input.name.trim(),
      phone,
      user_id: input.user_id ?? null,
      volunteer_id: input.volunteer_id ?? null,
      status: confirmed ? 'confirmed' : 'waitlisted',
      checkin_code: randomBytes(12).toString('base64url'),
      checked_in_at: null,
      promoted_at: null,
      cancelled_at: null,
      created_at: clock().toISOString(),
    };
    await insertRegistration(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'meeting_registration.create',
        entity: 'meeting_registration',
        entityId: row.id,
        fields: ['meeting_id', 'name', 'phone', 'user_id', 'volunteer_id', 'status'],
      },
      clock,
    );
    return { ...presentRegistration(row), checkin_code: row.checkin_code };
  });
}

/**
 * Cancels a registration. A confirmed one gives its seat to the first on the waiting list,
 * exactly one, who is told (SMS to their phone, the inbox of their user) in the same
 * transaction. Cancelling twice answers the same.
 */
export async function cancelRegistration(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  meetingId: string,
  registrationId: string,
  clock: Clock,
): Promise<{ registration: RegistrationView; promoted: RegistrationView | null }> {
  return writeTransaction(storage, async (trx) => {
    const meeting = await meetingOrThrow(trx, meetingId);
    const now = clock().toISOString();
    // Lock the meeting's row before reading its registrations (cancellations queue up).
    await updateMeeting(trx, meetingId, { updated_at: now });
    const registration = await findRegistration(trx, meetingId, registrationId);
    if (!registration) throw new NotFoundError('registration');
    if (registration.status === 'cancelled') {
      return { registration: presentRegistration(registration), promoted: null };
    }
    await updateRegistration(trx, registration.id, { status: 'cancelled', cancelled_at: now });
    let promoted: RegistrationRecord | null = null;
    if (registration.status === 'confirmed') {
      await releaseSeat(trx, meetingId);
      const next = await findFirstWaitlisted(trx, meetingId);
      if (next && (await takeSeat(trx, meetingId))) {
        promoted = { ...next, status: 'confirmed', promoted_at: now };
        await updateRegistration(trx, next.id, { status: 'confirmed', promoted_at: now });
        await tellPromoted(trx, actor, meeting, promoted, clock);
      }
    }
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'meeting_registration.cancel',
        entity: 'meeting_registration',
        entityId: registration.id,
        fields: ['status'],
      },
      clock,
    );
    if (promoted) {
      await appendAuditEvent(
        trx,
        {
          actor,
          action: 'meeting_registration.promote',
          entity: 'meeting_registration',
          entityId: promoted.id,
          fields: ['status'],
        },
        clock,
      );
    }
    return {
      registration: presentRegistration({
        ...registration,
        status: 'cancelled',
        cancelled_at: now,
      }),
      promoted: promoted ? presentRegistration(promoted) : null,
    };
  });
}

async function tellPromoted(
  trx: Executor,
  actor: Actor,
  meeting: MeetingRecord,
  registration: RegistrationRecord,
  clock: Clock,
): Promise<void> {
  const text = await renderMessage(trx, 'meeting_promoted', 'ar', {
    title: meeting.title,
    starts_at: meeting.starts_at.slice(0, 16).replace('T', ' '),
  });
  const base = {
    subject: text.subject,
    body: text.body,
    language: 'ar' as const,
    template_code: 'meeting_promoted',
    source_kind: 'meeting_registration',
    source_id: registration.id,
  };
  const messages: MessageInput[] = [];
  if (registration.phone) messages.push({ ...base, channel: 'sms', to: registration.phone });
  if (registration.user_id) messages.push({ ...base, channel: 'inbox', to: registration.user_id });
  if (messages.length > 0) await queueMessages(trx, actor, messages, clock);
}

export async function listRegistrations(
  db: Executor,
  meetingId: string,
  query: { status?: RegistrationRecord['status']; limit?: number; cursor?: string },
): Promise<{ items: RegistrationView[]; next_cursor: string | null }> {
  await meetingOrThrow(db, meetingId);
  const limit = query.limit ?? 50;
  const rows = await findRegistrations(
    db,
    meetingId,
    query.status !== undefined ? { status: query.status } : {},
    query.cursor !== undefined ? Number(query.cursor) : null,
    limit,
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(presentRegistration),
    next_cursor: rows.length > limit && last ? String(last.seq) : null,
  };
}

/** The text of a registration's QR code: the meeting and the check-in secret. */
export function checkInPayload(meetingId: string, code: string): string {
  return `AWN-MEET:${meetingId}:${code}`;
}

export async function registrationQrText(
  db: Executor,
  meetingId: string,
  registrationId: string,
): Promise<string> {
  const registration = await findRegistration(db, meetingId, registrationId);
  if (!registration) throw new NotFoundError('registration');
  return checkInPayload(meetingId, registration.checkin_code);
}

/**
 * Checks in the holder of a QR code (its text, or the bare code) at the door: a confirmed
 * registration only (409 `registration-not-confirmed`); a second scan answers the first time.
 */
export async function checkIn(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  meetingId: string,
  scanned: string,
  clock: Clock,
): Promise<RegistrationView> {
  const prefix = `AWN-MEET:${meetingId}:`;
  const code = scanned.startsWith('AWN-MEET:')
    ? scanned.startsWith(prefix)
      ? scanned.slice(prefix.length)
      : ''
    : scanned;
  return writeTransaction(storage, async (trx) => {
    const registration =
      code === '' ? undefined : await findRegistrationByCode(trx, meetingId, code);
    if (!registration) throw new NotFoundError('registration');
    if (registration.status !== 'confirmed') {
      throw new ConflictError('registration-not-confirmed', 'This registration is not confirmed.');
    }
    if (registration.checked_in_at !== null) return presentRegistration(registration);
    const checked_in_at = clock().toISOString();
    await updateRegistration(trx, registration.id, { checked_in_at });
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'meeting_registration.check_in',
        entity: 'meeting_registration',
        entityId: registration.id,
        fields: ['checked_in_at'],
      },
      clock,
    );
    return presentRegistration({ ...registration, checked_in_at });
  });
}

export async function attendance(
  db: Executor,
  meetingId: string,
): Promise<{
  capacity: number;
  confirmed: number;
  waitlisted: number;
  cancelled: number;
  checked_in: number;
}> {
  const meeting = await meetingOrThrow(db, meetingId);
  return { capacity: meeting.capacity, ...(await countRegistrations(db, meetingId)) };
}

export async function saveMinutes(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  meetingId: string,
  input: { minutes: string; decisions?: string[] },
  clock: Clock,
): Promise<MeetingView> {
  return writeTransaction(storage, async (trx) => {
    const meeting = await meetingOrThrow(trx, meetingId);
    const patch = {
      minutes: input.minutes,
      decisions_json: JSON.stringify(input.decisions ?? JSON.parse(meeting.decisions_json)),
      updated_at: clock().toISOString(),
    };
    await updateMeeting(trx, meetingId, patch);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'meeting.minutes',
        entity: 'meeting',
        entityId: meetingId,
        fields: ['minutes', 'decisions'],
      },
      clock,
    );
    return presentMeeting({ ...meeting, ...patch });
  });
}

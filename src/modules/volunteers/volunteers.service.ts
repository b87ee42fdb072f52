/**
 * Volunteers: profiles (skills from the configured list, availability, status, an optional
 * user so they can sign in), their training records and movement permits, and the hours of
 * the runs they made. Scoped by the volunteer's home area; outside the scope is not found.
 * Phones and national ids leave the server only for admins and coordinators.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import { normalizePhone } from '../../domain/identity/phone.js';
import { addDays, localDay, parseDay } from '../../domain/runs/calendar.js';
import type { MemberCredentials } from '../../domain/runs/dispatch-gate.js';
import { toAsciiDigits } from '../../domain/text/arabic.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { findArea, findAreas } from '../areas/areas.service.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { getOrgUnit } from '../org-units/org-units.service.js';
import { findPartner } from '../partners/partners.service.js';
import { trainingsByCode } from '../trainings/trainings.service.js';
import { findUserById } from '../users/users.service.js';
import { loadFieldConfig, type FieldConfig } from './volunteers.config.js';
import {
  findExpiringTrainings,
  findHours,
  findPermits,
  findPpeIssue,
  findPpeIssues,
  findTrainingRecords,
  findVolunteer,
  findVolunteerByUser,
  findVolunteersByIds,
  insertHours,
  insertPermit,
  insertPpeIssue,
  insertTrainingRecord,
  insertVolunteer,
  listVolunteers as selectVolunteers,
  updateVolunteerStatus,
  type PermitRecord,
  type PpeIssueRecord,
  type VolunteerRecord,
  type VolunteerTrainingRecord,
} from './volunteers.repository.js';
import type {
  AddPermitInput,
  AddTrainingInput,
  CreateVolunteerInput,
  PermitView,
  PpeIssueInput,
  PpeIssueView,
  StatusInput,
  TrainingRecordView,
  VolunteerListInput,
  VolunteerView,
} from './volunteers.schema.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

function seesPersonalData(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'coordinator';
}

interface Readiness {
  missing_trainings: string[];
  has_valid_permit: boolean;
}

function present(row: VolunteerRecord, actor: Actor, readiness: Readiness): VolunteerView {
  return {
    id: row.id,
    given_name: row.given_name,
    family_name: row.family_name,
    name_latin: row.name_latin,
    ...(seesPersonalData(actor) ? { phone: row.phone, national_id: row.national_id } : {}),
    sex: row.sex,
    birth_year: row.birth_year,
    org_unit_id: row.org_unit_id,
    area_pcode: row.area_pcode,
    skills: JSON.parse(row.skills_json) as string[],
    availability: JSON.parse(row.availability_json) as VolunteerView['availability'],
    status: row.status,
    status_on: row.status_on,
    user_id: row.user_id,
    ...readiness,
    created_at: row.created_at,
  };
}

function presentTraining(row: VolunteerTrainingRecord): TrainingRecordView {
  return {
    id: row.id,
    volunteer_id: row.volunteer_id,
    training_code: row.training_code,
    completed_on: row.completed_on,
    expires_on: row.expires_on,
    trainer: row.trainer,
    certificate_ref: row.certificate_ref,
  };
}

function presentPermit(row: PermitRecord & { areas: { pcode: string }[] }): PermitView {
  return {
    id: row.id,
    volunteer_id: row.volunteer_id,
    number: row.number,
    issuer_partner_id: row.issuer_partner_id,
    valid_from: row.valid_from,
    valid_to: row.valid_to,
    area_pcodes: row.areas.map((area) => area.pcode),
    hours: row.hours,
  };
}

/** Today in the deployment's time zone. */
export function localToday(config: FieldConfig, clock: Clock): string {
  return localDay(clock(), config.timeZone);
}

/** Each volunteer's trainings and permits as the dispatch gate reads them, in the given order. */
export async function memberCredentials(
  db: Executor,
  volunteerIds: readonly string[],
): Promise<MemberCredentials[]> {
  const trainings = await findTrainingRecords(db, volunteerIds);
  const permits = await findPermits(db, volunteerIds);
  const statuses = new Map(
    (await findVolunteersByIds(db, volunteerIds)).map((volunteer) => [
      volunteer.id,
      volunteer.status,
    ]),
  );
  return volunteerIds.map((volunteerId) => ({
    volunteerId,
    status: statuses.get(volunteerId) ?? 'left',
    trainings: trainings
      .filter((training) => training.volunteer_id === volunteerId)
      .map((training) => ({
        code: training.training_code,
        completed_on: training.completed_on,
        expires_on: training.expires_on,
      })),
    permits: permits
      .filter((permit) => permit.volunteer_id === volunteerId)
      .map((permit) => ({
        valid_from: permit.valid_from,
        valid_to: permit.valid_to,
        areaPaths: permit.areas.map((area) => area.path),
        hours: permit.hours,
      })),
  }));
}

async function readiness(
  db: Executor,
  ids: readonly string[],
  config: FieldConfig,
  today: string,
): Promise<Map<string, Readiness>> {
  const credentials = await memberCredentials(db, ids);
  return new Map(
    credentials.map((member) => [
      member.volunteerId,
      {
        missing_trainings: config.requiredTrainings.filter(
          (code) =>
            !member.trainings.some(
              (training) =>
                training.code === code &&
                training.completed_on <= today &&
                today <= training.expires_on,
            ),
        ),
        has_valid_permit: member.permits.some(
          (permit) => permit.valid_from <= today && today <= permit.valid_to,
        ),
      },
    ]),
  );
}

function parseBirthYear(
  value: CreateVolunteerInput['birth_year'],
  issues: FieldIssue[],
): number | null {
  if (value === undefined || value === null || value === '') return null;
  const year = typeof value === 'number' ? value : Number(toAsciiDigits(value.trim()));
  if (!Number.isInteger(year) || year < 1900 || year > 2100) {
    issues.push({ path: '/birth_year', message: 'is not a year' });
    return null;
  }
  return year;
}

/**
 * Registers a volunteer in an area within the actor's scope. Refuses an invalid phone, an
 * unknown org unit, skill or user (400), and a user already linked to another volunteer or
 * whose role is not volunteer or team_leader (409 `user-not-linkable`).
 */
export async function createVolunteer(
  storage: WriteStorage,
  actor: Actor,
  input: CreateVolunteerInput,
  clock: Clock,
): Promise<VolunteerView> {
  return writeTransaction(storage, async (trx) => {
    const config = await loadFieldConfig(trx);
    const issues: FieldIssue[] = [];
    const phone = normalizePhone(input.phone);
    if (!phone.ok) issues.push({ path: '/phone', message: 'is not a phone number' });
    const birthYear = parseBirthYear(input.birth_year, issues);
    const nationalId = input.national_id ? toAsciiDigits(input.national_id.trim()) : null;
    if (nationalId !== null && !/^\d{5,20}$/u.test(nationalId)) {
      issues.push({ path: '/national_id', message: 'must be digits' });
    }
    if (!(await getOrgUnit(trx, input.org_unit_id).catch(() => null))) {
      issues.push({ path: '/org_unit_id', message: 'is not a known org unit' });
    }
    const area = await findArea(trx, input.area_pcode);
    if (!area || !areaInScope(actor.scope, area.path)) {
      issues.push({ path: '/area_pcode', message: 'is not a known area' });
    }
    const skillCodes = new Set(config.skills.map((skill) => skill.code));
    (input.skills ?? []).forEach((skill, index) => {
      if (!skillCodes.has(skill))
        issues.push({ path: `/skills/${index}`, message: 'is not a configured skill' });
    });
    (input.availability ?? []).forEach((slot, index) => {
      if (!(slot.from < slot.to) || slot.to > '24:00') {
        issues.push({
          path: `/availability/${index}`,
          message: 'must run from an earlier to a later time',
        });
      }
    });
    const userId = input.user_id ?? null;
    if (userId !== null) {
      const user = await findUserById(trx, userId);
      if (!user) issues.push({ path: '/user_id', message: 'is not a known user' });
      else if (user.role !== 'volunteer' && user.role !== 'team_leader') {
        throw new ConflictError(
          'user-not-linkable',
          'Only a volunteer or team leader user may be linked.',
        );
      } else if (await findVolunteerByUser(trx, userId)) {
        throw new ConflictError('user-not-linkable', 'This user is linked to another volunteer.');
      }
    }
    if (issues.length > 0) throw new ValidationError(issues);
    const now = clock().toISOString();
    const row: VolunteerRecord = {
      id: randomUUID(),
      given_name: input.given_name.trim(),
      family_name: input.family_name.trim(),
      name_latin: input.name_latin?.trim() || null,
      phone: phone.ok ? phone.e164 : '',
      national_id: nationalId,
      sex: input.sex ?? null,
      birth_year: birthYear,
      area_pcode: input.area_pcode,
      org_unit_id: input.org_unit_id,
      skills_json: JSON.stringify(input.skills ?? []),
      availability_json: JSON.stringify(input.availability ?? []),
      status: input.status ?? 'active',
      status_on: localToday(config, clock),
      user_id: userId,
      created_at: now,
      updated_at: now,
    };
    await insertVolunteer(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'volunteer.create',
        entity: 'volunteer',
        entityId: row.id,
        fields: Object.keys(input),
      },
      clock,
    );
    const today = localToday(config, clock);
    return present(
      row,
      actor,
      (await readiness(trx, [row.id], config, today)).get(row.id) as Readiness,
    );
  });
}

/** Volunteers in scope with what each misses today to be dispatched. */
export async function listVolunteers(
  db: Executor,
  actor: Actor,
  input: VolunteerListInput,
  clock: Clock,
): Promise<VolunteerView[]> {
  const config = await loadFieldConfig(db);
  const today = localToday(config, clock);
  const rows = await selectVolunteers(db, actor.scope, { status: input.status });
  const ready = await readiness(
    db,
    rows.map((row) => row.id),
    config,
    today,
  );
  return rows
    .map((row) => present(row, actor, ready.get(row.id) as Readiness))
    .filter((view) => !input.without_permit || !view.has_valid_permit);
}

async function requireVolunteer(db: Executor, actor: Actor, id: string): Promise<VolunteerRecord> {
  const row = await findVolunteer(db, actor.scope, id);
  if (!row) throw new NotFoundError('volunteer');
  return row;
}

function presentPpe(row: PpeIssueRecord): PpeIssueView {
  return {
    id: row.id,
    volunteer_id: row.volunteer_id,
    item: row.item,
    quantity: row.quantity,
    issued_on: row.issued_on,
    note: row.note,
    team_id: row.team_id,
    lot_id: row.lot_id,
  };
}

/** A PPE issue by id, as the volunteer's history shows it. */
export async function findPpeIssueView(
  db: Executor,
  id: string,
): Promise<PpeIssueView | undefined> {
  const row = await findPpeIssue(db, id);
  return row ? presentPpe(row) : undefined;
}

/**
 * Inside the caller's transaction: records PPE issued from a team's stock (the stock module
 * moves it in the ledger) on the volunteer's history; 404 for a volunteer outside the scope.
 */
export async function recordStockPpeIssueIn(
  trx: Executor,
  actor: Actor,
  row: Omit<PpeIssueRecord, 'issued_by' | 'created_at'>,
  clock: Clock,
): Promise<PpeIssueView> {
  await requireVolunteer(trx, actor, row.volunteer_id);
  const record: PpeIssueRecord = {
    ...row,
    issued_by: actor.userId,
    created_at: clock().toISOString(),
  };
  await insertPpeIssue(trx, record);
  await appendAuditEvent(
    trx,
    {
      actor,
      action: 'volunteer.ppe.issue',
      entity: 'volunteer',
      entityId: row.volunteer_id,
      fields: ['item', 'quantity', 'issued_on', 'team_id', 'lot_id'],
    },
    clock,
  );
  return presentPpe(record);
}

/** A volunteer with training records, permits, PPE issued, and the runs and minutes worked. */
export async function getVolunteerDetail(db: Executor, actor: Actor, id: string, clock: Clock) {
  const row = await requireVolunteer(db, actor, id);
  const config = await loadFieldConfig(db);
  const ready = await readiness(db, [id], config, localToday(config, clock));
  const runs = await findHours(db, id);
  return {
    volunteer: present(row, actor, ready.get(id) as Readiness),
    trainings: (await findTrainingRecords(db, [id])).map(presentTraining),
    permits: (await findPermits(db, [id])).map(presentPermit),
    ppe: (await findPpeIssues(db, id)).map(presentPpe),
    runs,
    total_minutes: runs.reduce((sum, run) => sum + run.minutes, 0),
  };
}

/**
 * Sets a volunteer's status (active, paused, left) from a day (today when not given; never
 * after today); audited. A paused or left volunteer cannot join a team.
 */
export async function changeVolunteerStatus(
  storage: WriteStorage,
  actor: Actor,
  volunteerId: string,
  input: StatusInput,
  clock: Clock,
): Promise<VolunteerView> {
  return writeTransaction(storage, async (trx) => {
    const row = await requireVolunteer(trx, actor, volunteerId);
    const config = await loadFieldConfig(trx);
    const today = localToday(config, clock);
    const on = input.on === undefined ? today : parseDay(input.on);
    if (on === null) throw new ValidationError([{ path: '/on', message: 'is not a date' }]);
    if (on > today)
      throw new ValidationError([{ path: '/on', message: 'must not be after today' }]);
    const changes = { status: input.status, status_on: on, updated_at: clock().toISOString() };
    await updateVolunteerStatus(trx, volunteerId, changes);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'volunteer.status',
        entity: 'volunteer',
        entityId: volunteerId,
        fields: ['status', 'status_on'],
      },
      clock,
    );
    const ready = await readiness(trx, [volunteerId], config, today);
    return present({ ...row, ...changes }, actor, ready.get(volunteerId) as Readiness);
  });
}

/** Records protective equipment handed to a volunteer (a plain record, no stock moves). */
export async function recordPpeIssue(
  storage: WriteStorage,
  actor: Actor,
  volunteerId: string,
  input: PpeIssueInput,
  clock: Clock,
): Promise<PpeIssueView> {
  return writeTransaction(storage, async (trx) => {
    await requireVolunteer(trx, actor, volunteerId);
    const issues: FieldIssue[] = [];
    const text = typeof input.quantity === 'number' ? '' : toAsciiDigits(input.quantity.trim());
    const quantity = typeof input.quantity === 'number' ? input.quantity : Number(text);
    if (
      (typeof input.quantity !== 'number' && !/^\d{1,6}$/u.test(text)) ||
      !Number.isSafeInteger(quantity) ||
      quantity < 1 ||
      quantity > 100_000
    ) {
      issues.push({ path: '/quantity', message: 'must be a whole number from 1 to 100000' });
    }
    const issuedOn = parseDay(input.issued_on);
    if (issuedOn === null) issues.push({ path: '/issued_on', message: 'is not a date' });
    if (issues.length > 0 || issuedOn === null) throw new ValidationError(issues);
    const row: PpeIssueRecord = {
      id: randomUUID(),
      volunteer_id: volunteerId,
      item: input.item.trim(),
      quantity,
      issued_on: issuedOn,
      note: input.note?.trim() || null,
      issued_by: actor.userId,
      created_at: clock().toISOString(),
      lot_id: null,
      team_id: null,
    };
    await insertPpeIssue(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'volunteer.ppe.issue',
        entity: 'volunteer',
        entityId: volunteerId,
        fields: Object.keys(input),
      },
      clock,
    );
    return presentPpe(row);
  });
}

/** Records a completed training; it expires after the catalogue's valid_days. */
export async function addTrainingRecord(
  storage: WriteStorage,
  actor: Actor,
  volunteerId: string,
  input: AddTrainingInput,
  clock: Clock,
): Promise<TrainingRecordView> {
  return writeTransaction(storage, async (trx) => {
    await requireVolunteer(trx, actor, volunteerId);
    const issues: FieldIssue[] = [];
    const training = (await trainingsByCode(trx, [input.training_code])).get(input.training_code);
    if (!training) issues.push({ path: '/training_code', message: 'is not a known training' });
    const completedOn = parseDay(input.completed_on);
    if (completedOn === null) issues.push({ path: '/completed_on', message: 'is not a date' });
    if (issues.length > 0 || !training || completedOn === null) throw new ValidationError(issues);
    const row: VolunteerTrainingRecord = {
      id: randomUUID(),
      volunteer_id: volunteerId,
      training_code: training.code,
      completed_on: completedOn,
      // Valid for valid_days days counting the day of completion.
      expires_on: addDays(completedOn, training.valid_days - 1),
      trainer: input.trainer?.trim() || null,
      certificate_ref: input.certificate_ref?.trim() || null,
      created_at: clock().toISOString(),
    };
    await insertTrainingRecord(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'volunteer.training.add',
        entity: 'volunteer',
        entityId: volunteerId,
        fields: Object.keys(input),
      },
      clock,
    );
    return presentTraining(row);
  });
}

/** Records a movement permit covering areas (and everything beneath them) between two days. */
export async function addPermit(
  storage: WriteStorage,
  actor: Actor,
  volunteerId: string,
  input: AddPermitInput,
  clock: Clock,
): Promise<PermitView> {
  return writeTransaction(storage, async (trx) => {
    await requireVolunteer(trx, actor, volunteerId);
    const issues: FieldIssue[] = [];
    const from = parseDay(input.valid_from);
    const to = parseDay(input.valid_to);
    if (from === null) issues.push({ path: '/valid_from', message: 'is not a date' });
    if (to === null) issues.push({ path: '/valid_to', message: 'is not a date' });
    if (from !== null && to !== null && to < from) {
      issues.push({ path: '/valid_to', message: 'must not be before valid_from' });
    }
    const areas = await findAreas(trx, input.area_pcodes);
    input.area_pcodes.forEach((pcode, index) => {
      if (!areas.has(pcode)) {
        issues.push({ path: `/area_pcodes/${index}`, message: 'is not a known area' });
      }
    });
    const partnerId = input.issuer_partner_id ?? null;
    if (partnerId !== null && !(await findPartner(trx, partnerId))) {
      issues.push({ path: '/issuer_partner_id', message: 'is not a known partner' });
    }
    if (issues.length > 0 || from === null || to === null) throw new ValidationError(issues);
    const row: PermitRecord = {
      id: randomUUID(),
      volunteer_id: volunteerId,
      number: input.number.trim(),
      issuer_partner_id: partnerId,
      valid_from: from,
      valid_to: to,
      hours: input.hours ?? null,
      created_at: clock().toISOString(),
    };
    const pcodes = [...input.area_pcodes].sort();
    await insertPermit(trx, row, pcodes);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'volunteer.permit.add',
        entity: 'volunteer',
        entityId: volunteerId,
        fields: Object.keys(input),
      },
      clock,
    );
    return presentPermit({ ...row, areas: pcodes.map((pcode) => ({ pcode })) });
  });
}

/** Active volunteers' trainings expiring from today to `days` ahead. */
export async function listExpiringTrainings(
  db: Executor,
  actor: Actor,
  days: number,
  clock: Clock,
) {
  const config = await loadFieldConfig(db);
  const today = localToday(config, clock);
  const rows = await findExpiringTrainings(db, actor.scope, today, addDays(today, days));
  return rows.map((row) => ({
    volunteer_id: row.volunteer_id,
    given_name: row.given_name,
    family_name: row.family_name,
    training_code: row.training_code,
    expires_on: row.expires_on,
  }));
}

export async function listSkills(db: Executor) {
  return (await loadFieldConfig(db)).skills.map((skill) => ({ ...skill }));
}

/** Volunteers by id, unscoped (for teams, whose own scope the caller checked). */
export async function volunteersByIds(
  db: Executor,
  ids: readonly string[],
): Promise<VolunteerRecord[]> {
  return findVolunteersByIds(db, [...new Set(ids)]);
}

/** The volunteer linked to a user, if any. */
export async function volunteerOfUser(
  db: Executor,
  userId: string,
): Promise<VolunteerRecord | undefined> {
  return findVolunteerByUser(db, userId);
}

/** Inside the caller's transaction: minutes worked on a run, once per volunteer and run. */
export async function recordRunHours(
  trx: Executor,
  runId: string,
  volunteerIds: readonly string[],
  minutes: number,
  clock: Clock,
): Promise<void> {
  const createdAt = clock().toISOString();
  await insertHours(
    trx,
    volunteerIds.map((volunteer_id) => ({
      volunteer_id,
      run_id: runId,
      minutes,
      created_at: createdAt,
    })),
  );
}

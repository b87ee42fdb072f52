/**
 * All SQL on circulars, their units and recipients. Publishing resolves an audience from the
 * org tree, users' scopes, volunteers and households in one pass of set queries: reading those
 * tables here (not through their modules' services, which answer one record at a time with
 * presenters and audit reads) is what lets a publish to 100,000 households queue in seconds.
 * It only reads them, and only the columns an audience needs: ids, units, phones and states.
 */
import type { Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type CircularRecord = Row<'circulars'>;
export type CircularUnitRecord = Row<'circular_units'>;
export type RecipientRecord = Row<'circular_recipients'>;

const chunkRows = 1000;

export async function insertCircular(trx: Executor, row: CircularRecord): Promise<void> {
  await trx.insertInto('circulars').values(row).execute();
}

export async function findCircular(db: Executor, id: string): Promise<CircularRecord | undefined> {
  return db.selectFrom('circulars').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCirculars(
  db: Executor,
  afterId: string | null,
  limit: number,
): Promise<CircularRecord[]> {
  let query = db
    .selectFrom('circulars')
    .selectAll()
    .orderBy('id')
    .limit(limit + 1);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.execute();
}

export async function updateCircular(
  trx: Executor,
  id: string,
  patch: Partial<Omit<CircularRecord, 'id'>>,
): Promise<void> {
  await trx.updateTable('circulars').set(patch).where('id', '=', id).execute();
}

/** Org units by id (the ones that exist). */
export async function findUnits(
  db: Executor,
  ids: readonly string[],
): Promise<{ id: string; parent_id: string | null; path: string; name_ar: string }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('org_units')
    .select(['id', 'parent_id', 'path', 'name_ar'])
    .where('id', 'in', [...ids])
    .execute();
}

/** Every unit at or below these paths. */
export async function findSubtreeUnits(
  db: Executor,
  paths: readonly string[],
): Promise<{ id: string; parent_id: string | null; path: string }[]> {
  if (paths.length === 0) return [];
  return db
    .selectFrom('org_units')
    .select(['id', 'parent_id', 'path'])
    .where((eb) => eb.or(paths.map((path) => eb('path', 'like', `${path}%`))))
    .orderBy('path')
    .execute();
}

/**
 * The members of these units: active users whose scope names the unit (their home unit, not
 * the units above it), and active volunteers of the unit (with their phone).
 */
export async function findMembers(
  db: Executor,
  unitIds: readonly string[],
): Promise<{
  users: { id: string; org_unit_id: string }[];
  volunteers: { id: string; org_unit_id: string; phone: string }[];
}> {
  const users: { id: string; org_unit_id: string }[] = [];
  const volunteers: { id: string; org_unit_id: string; phone: string }[] = [];
  for (let start = 0; start < unitIds.length; start += chunkRows) {
    const chunk = unitIds.slice(start, start + chunkRows);
    const userRows = await db
      .selectFrom('user_scopes')
      .innerJoin('users', 'users.id', 'user_scopes.user_id')
      .select(['users.id as id', 'user_scopes.org_unit_id as org_unit_id'])
      .where('user_scopes.org_unit_id', 'in', chunk)
      .where('users.disabled_at', 'is', null)
      .orderBy('users.id')
      .execute();
    for (const row of userRows)
      if (row.org_unit_id) users.push({ id: row.id, org_unit_id: row.org_unit_id });
    volunteers.push(
      ...(await db
        .selectFrom('volunteers')
        .select(['id', 'org_unit_id', 'phone'])
        .where('org_unit_id', 'in', chunk)
        .where('status', '=', 'active')
        .orderBy('id')
        .execute()),
    );
  }
  return { users, volunteers };
}

/** Active households with a phone in these areas or beneath them. */
export async function findHouseholdPhones(
  db: Executor,
  areaPcodes: readonly string[],
): Promise<{ id: string; phone: string }[]> {
  if (areaPcodes.length === 0) return [];
  const paths = await db
    .selectFrom('areas')
    .select('path')
    .where('pcode', 'in', [...areaPcodes])
    .execute();
  if (paths.length === 0) return [];
  const rows = await db
    .selectFrom('households')
    .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
    .select(['households.id as id', 'households.phone as phone'])
    .where('households.status', '=', 'active')
    .where('households.phone', 'is not', null)
    .where((eb) => eb.or(paths.map((row) => eb('areas.path', 'like', `${row.path}%`))))
    .execute();
  return rows.flatMap((row) => (row.phone ? [{ id: row.id, phone: row.phone }] : []));
}

export async function findKnownAreas(
  db: Executor,
  pcodes: readonly string[],
): Promise<Set<string>> {
  if (pcodes.length === 0) return new Set();
  const rows = await db
    .selectFrom('areas')
    .select('pcode')
    .where('pcode', 'in', [...pcodes])
    .execute();
  return new Set(rows.map((row) => row.pcode));
}

export async function insertCircularUnits(
  trx: Executor,
  rows: readonly CircularUnitRecord[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkRows) {
    await trx
      .insertInto('circular_units')
      .values(rows.slice(start, start + chunkRows))
      .execute();
  }
}

export async function insertRecipients(
  trx: Executor,
  rows: readonly RecipientRecord[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += chunkRows) {
    await trx
      .insertInto('circular_recipients')
      .values(rows.slice(start, start + chunkRows))
      .execute();
  }
}

export async function findRecipient(
  db: Executor,
  circularId: string,
  kind: 'user' | 'volunteer',
  memberId: string,
): Promise<RecipientRecord | undefined> {
  return db
    .selectFrom('circular_recipients')
    .selectAll()
    .where('circular_id', '=', circularId)
    .where('member_kind', '=', kind)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
}

export async function findRecipientByLink(
  db: Executor,
  linkHash: string,
): Promise<RecipientRecord | undefined> {
  return db
    .selectFrom('circular_recipients')
    .selectAll()
    .where('link_hash', '=', linkHash)
    .executeTakeFirst();
}

export async function acknowledgeRecipient(
  trx: Executor,
  recipient: Pick<RecipientRecord, 'circular_id' | 'member_kind' | 'member_id'>,
  at: string,
): Promise<void> {
  await trx
    .updateTable('circular_recipients')
    .set({ acknowledged_at: at })
    .where('circular_id', '=', recipient.circular_id)
    .where('member_kind', '=', recipient.member_kind)
    .where('member_id', '=', recipient.member_id)
    .where('acknowledged_at', 'is', null)
    .execute();
}

export async function findCircularUnits(
  db: Executor,
  circularId: string,
): Promise<CircularUnitRecord[]> {
  return db
    .selectFrom('circular_units')
    .selectAll()
    .where('circular_id', '=', circularId)
    .orderBy('depth')
    .orderBy('org_unit_id')
    .execute();
}

export async function findRecipients(
  db: Executor,
  circularId: string,
  filter: { pending?: boolean } = {},
): Promise<RecipientRecord[]> {
  let query = db
    .selectFrom('circular_recipients')
    .selectAll()
    .where('circular_id', '=', circularId);
  if (filter.pending) query = query.where('acknowledged_at', 'is', null);
  return query.orderBy('member_kind').orderBy('member_id').execute();
}

export async function markReminded(
  trx: Executor,
  circularId: string,
  members: readonly Pick<RecipientRecord, 'member_kind' | 'member_id'>[],
  at: string,
): Promise<void> {
  for (const kind of ['user', 'volunteer'] as const) {
    const ids = members
      .filter((member) => member.member_kind === kind)
      .map((member) => member.member_id);
    for (let start = 0; start < ids.length; start += chunkRows) {
      await trx
        .updateTable('circular_recipients')
        .set({ reminded_at: at })
        .where('circular_id', '=', circularId)
        .where('member_kind', '=', kind)
        .where('member_id', 'in', ids.slice(start, start + chunkRows))
        .execute();
    }
  }
}

export async function markRelayed(
  trx: Executor,
  circularId: string,
  unitId: string,
  userId: string | null,
  at: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('circular_units')
    .set({ relayed_at: at, relayed_by: userId })
    .where('circular_id', '=', circularId)
    .where('org_unit_id', '=', unitId)
    .where('relayed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Published circulars past their due time not yet reminded (the serve loop's reminders). */
export async function findDueForReminder(db: Executor, now: string): Promise<string[]> {
  const rows = await db
    .selectFrom('circulars')
    .select('id')
    .where('status', '=', 'published')
    .where('ack_required', '=', 1)
    .where('due_at', '<=', now)
    .where('reminded_at', 'is', null)
    .execute();
  return rows.map((row) => row.id);
}

export async function findCircularUnit(
  db: Executor,
  circularId: string,
  unitId: string,
): Promise<CircularUnitRecord | undefined> {
  return db
    .selectFrom('circular_units')
    .selectAll()
    .where('circular_id', '=', circularId)
    .where('org_unit_id', '=', unitId)
    .executeTakeFirst();
}

export async function setLinkHash(
  trx: Executor,
  recipient: Pick<RecipientRecord, 'circular_id' | 'member_kind' | 'member_id'>,
  linkHash: string,
): Promise<void> {
  await trx
    .updateTable('circular_recipients')
    .set({ link_hash: linkHash })
    .where('circular_id', '=', recipient.circular_id)
    .where('member_kind', '=', recipient.member_kind)
    .where('member_id', '=', recipient.member_id)
    .execute();
}

/** The phones of these volunteers, by id. */
export async function findVolunteerPhones(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const phones = new Map<string, string>();
  for (let start = 0; start < ids.length; start += chunkRows) {
    const rows = await db
      .selectFrom('volunteers')
      .select(['id', 'phone'])
      .where('id', 'in', ids.slice(start, start + chunkRows))
      .execute();
    for (const row of rows) phones.set(row.id, row.phone);
  }
  return phones;
}

export type AttachmentRecord = Row<'circular_attachments'>;

export async function insertAttachment(trx: Executor, row: AttachmentRecord): Promise<void> {
  await trx.insertInto('circular_attachments').values(row).execute();
}

/** The circular's attachments without their bytes. */
export async function findAttachments(
  db: Executor,
  circularId: string,
): Promise<Omit<AttachmentRecord, 'content_base64'>[]> {
  return db
    .selectFrom('circular_attachments')
    .select([
      'id',
      'circular_id',
      'filename',
      'media_type',
      'size_bytes',
      'sha256',
      'created_by',
      'created_at',
    ])
    .where('circular_id', '=', circularId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findAttachment(
  db: Executor,
  circularId: string,
  id: string,
): Promise<AttachmentRecord | undefined> {
  return db
    .selectFrom('circular_attachments')
    .selectAll()
    .where('circular_id', '=', circularId)
    .where('id', '=', id)
    .executeTakeFirst();
}

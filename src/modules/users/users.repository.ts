/** The SQL of users and their scope grants. */
import { PostgresAdapter, sql } from 'kysely';
import type { NewRow, Row } from '../../db/database.js';
import { readRows, type Executor } from '../../db/transaction.js';

export type UserRow = Row<'users'>;

/** One scope grant as stored: exactly one of the two is set. */
export interface ScopeGrant {
  org_unit_id: string | null;
  area_pcode: string | null;
}

export async function insertUser(trx: Executor, row: NewRow<'users'>): Promise<void> {
  await trx.insertInto('users').values(row).execute();
}

export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(
  db: Executor,
  username: string,
): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUsers(db: Executor): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

export async function updateUserRow(
  trx: Executor,
  id: string,
  changes: Partial<
    Pick<UserRow, 'display_name' | 'role' | 'disabled_at' | 'password_hash' | 'partner_id'>
  >,
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await trx.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function replaceScopeGrants(
  trx: Executor,
  userId: string,
  grants: readonly ScopeGrant[],
): Promise<void> {
  await trx.deleteFrom('user_scopes').where('user_id', '=', userId).execute();
  if (grants.length === 0) return;
  await trx
    .insertInto('user_scopes')
    .values(grants.map((grant) => ({ user_id: userId, ...grant })))
    .execute();
}

export async function replaceUserServicePoints(
  trx: Executor,
  userId: string,
  servicePointIds: readonly string[],
): Promise<void> {
  await trx.deleteFrom('user_service_points').where('user_id', '=', userId).execute();
  if (servicePointIds.length === 0) return;
  await trx
    .insertInto('user_service_points')
    .values(servicePointIds.map((id) => ({ user_id: userId, service_point_id: id })))
    .execute();
}

/** Every grant of the given users. */
export async function findScopeGrants(
  db: Executor,
  userIds: readonly string[],
): Promise<(ScopeGrant & { user_id: string })[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('user_scopes')
    .select(['user_id', 'org_unit_id', 'area_pcode'])
    .where('user_id', 'in', userIds)
    .execute();
}

/** Which of these strings are org unit ids, and which are area p-codes. */
export async function findScopeTargets(
  db: Executor,
  entries: readonly string[],
): Promise<{ orgUnitIds: Set<string>; areaPcodes: Set<string> }> {
  if (entries.length === 0) return { orgUnitIds: new Set(), areaPcodes: new Set() };
  const [units, areas] = await Promise.all([
    db.selectFrom('org_units').select('id').where('id', 'in', entries).execute(),
    db.selectFrom('areas').select('pcode').where('pcode', 'in', entries).execute(),
  ]);
  return {
    orgUnitIds: new Set(units.map((unit) => unit.id)),
    areaPcodes: new Set(areas.map((area) => area.pcode)),
  };
}

/**
 * The area paths a user's grants cover: each granted area's path, plus the paths of the
 * areas covered by each granted org unit and by every org unit beneath it (org_units.path
 * prefix, compared exactly with substr so ids need no LIKE escaping). Every signed-in request
 * asks, so it reads through readRows.
 */
export async function findScopeAreaPaths(db: Executor, userId: string): Promise<string[]> {
  const query = sql<{ path: string }>`
    select a.path from user_scopes us
      join areas a on a.pcode = us.area_pcode
      where us.user_id = ${userId}
    union
    select a.path from user_scopes us
      join org_units granted on granted.id = us.org_unit_id
      join org_units covered on substr(covered.path, 1, length(granted.path)) = granted.path
      join org_unit_areas oua on oua.org_unit_id = covered.id
      join areas a on a.pcode = oua.area_pcode
      where us.user_id = ${userId}`;
  const rows = await readRows(db, query.compile(db));
  return rows.map((row) => row.path);
}

export { isUniqueViolation } from '../../db/errors.js';

/** Enabled admins other than `exceptUserId`. */
export async function countOtherEnabledAdmins(db: Executor, exceptUserId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('id', '<>', exceptUserId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Any constant shared by every Awn process: the key of the admin-change lock on PostgreSQL. */
const adminChangeLockKey = 0x41776e03;

/**
 * Serializes, until the transaction ends, the changes that may take away an enabled admin, so
 * that two admins disabling each other at once cannot both pass the last-admin check. SQLite
 * needs nothing: writeTransaction already holds its only write lock.
 */
export async function lockAdminChanges(trx: Executor): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`select pg_advisory_xact_lock(${adminChangeLockKey})`.execute(trx);
  }
}

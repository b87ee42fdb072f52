/**
 * All SQL on the service_points table; every read is narrowed to the actor's scope, except the
 * area paths a redemption batch reads to check each of its actors' scopes itself.
 */
import type { Row } from '../../db/database.js';
import { escapeLike, whereAreaInScope } from '../../db/scope.js';
import { getEach, heldSqlite, type Executor } from '../../db/transaction.js';
import type { Scope } from '../../domain/actor.js';

export type ServicePointRecord = Row<'service_points'>;

export async function findServicePoint(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<ServicePointRecord | undefined> {
  const query = db.selectFrom('service_points').selectAll().where('id', '=', id);
  return whereAreaInScope(query, scope, 'service_points.area_pcode').executeTakeFirst();
}

export interface ServicePointFilter {
  /** The path of an area: only service points at or beneath it. */
  areaPath?: string;
  partnerId?: string;
}

export async function listServicePoints(
  db: Executor,
  scope: Scope,
  filter: ServicePointFilter,
): Promise<ServicePointRecord[]> {
  let query = db.selectFrom('service_points').selectAll('service_points');
  if (filter.partnerId !== undefined) {
    query = query.where('service_points.partner_id', '=', filter.partnerId);
  }
  if (filter.areaPath !== undefined) {
    const areaPath = filter.areaPath;
    query = query.innerJoin('areas', 'areas.pcode', 'service_points.area_pcode').where((eb) =>
      eb.and([
        eb('areas.path', 'like', `${escapeLike(areaPath)}%`),
        // LIKE ignores ASCII case on SQLite; the exact prefix comparison does not.
        eb(eb.fn('substr', ['areas.path', eb.val(1), eb.val(areaPath.length)]), '=', areaPath),
      ]),
    );
  }
  return whereAreaInScope(query, scope, 'service_points.area_pcode')
    .orderBy('service_points.name_en')
    .orderBy('service_points.id')
    .execute();
}

export async function insertServicePoint(db: Executor, row: ServicePointRecord): Promise<void> {
  await db.insertInto('service_points').values(row).execute();
}

export async function updateServicePointRow(db: Executor, row: ServicePointRecord): Promise<void> {
  await db
    .updateTable('service_points')
    .set({
      name_ar: row.name_ar,
      name_en: row.name_en,
      partner_id: row.partner_id,
      commodities_json: row.commodities_json,
    })
    .where('id', '=', row.id)
    .execute();
}

export interface ServicePointState {
  id: string;
  area_path: string;
  commodities_json: string | null;
}

/**
 * Each service point's area path and commodities, by id; unknown ids are left out. Not
 * scoped: the caller checks each path against the scope of the actor who asked (areaInScope).
 */
export async function findServicePointStates(
  db: Executor,
  ids: readonly string[],
): Promise<ServicePointState[]> {
  if (ids.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite) {
    return getEach(
      sqlite,
      'select service_points.id as id, areas.path as area_path, service_points.commodities_json as commodities_json from service_points join areas on areas.pcode = service_points.area_pcode where service_points.id = ?',
      ids,
    );
  }
  return db
    .selectFrom('service_points')
    .innerJoin('areas', 'areas.pcode', 'service_points.area_pcode')
    .select([
      'service_points.id as id',
      'areas.path as area_path',
      'service_points.commodities_json as commodities_json',
    ])
    .where('service_points.id', 'in', [...ids])
    .execute();
}

/** The service points each of these users works at (users with none are left out). */
export async function findUserServicePoints(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; service_point_id: string }[]> {
  if (userIds.length === 0) return [];
  const sqlite = heldSqlite(db);
  if (sqlite) {
    const statement = sqlite.prepare(
      'select user_id, service_point_id from user_service_points where user_id = ?',
    );
    return userIds.flatMap(
      (id) => statement.all(id) as { user_id: string; service_point_id: string }[],
    );
  }
  return db
    .selectFrom('user_service_points')
    .select(['user_id', 'service_point_id'])
    .where('user_id', 'in', [...userIds])
    .execute();
}

/** Each of these households' home service points, one row per programme that sets one. */
export async function findHomeServicePoints(
  db: Executor,
  householdIds: readonly string[],
): Promise<{ household_id: string; programme_id: string; service_point_id: string }[]> {
  if (householdIds.length === 0) return [];
  type HomeRow = { household_id: string; programme_id: string; service_point_id: string };
  const sqlite = heldSqlite(db);
  if (sqlite) {
    const statement = sqlite.prepare(
      'select household_id, programme_id, service_point_id from household_service_points where household_id = ?',
    );
    return householdIds.flatMap((id) => statement.all(id) as HomeRow[]);
  }
  return db
    .selectFrom('household_service_points')
    .select(['household_id', 'programme_id', 'service_point_id'])
    .where('household_id', 'in', [...householdIds])
    .execute();
}

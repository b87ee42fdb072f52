/**
 * All SQL on the service_points table; every read is narrowed to the actor's scope, except the
 * area paths a redemption batch reads to check each of its actors' scopes itself.
 */
import type { Row } from '../../db/database.js';
import { areaInScopeExpression, escapeLike, whereAreaInScope } from '../../db/scope.js';
import { preparedByKey } from '../../db/prepared.js';
import type { Executor } from '../../db/transaction.js';
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

export const statesById = preparedByKey<string, ServicePointState>(
  (db, key) =>
    db
      .selectFrom('service_points')
      .innerJoin('areas', 'areas.pcode', 'service_points.area_pcode')
      .select([
        'service_points.id as id',
        'areas.path as area_path',
        'service_points.commodities_json as commodities_json',
      ])
      .where(key('service_points.id')),
  { oneRowPerKey: true },
);

/**
 * Each service point's area path and commodities, by id; unknown ids are left out. Not
 * scoped: the caller checks each path against the scope of the actor who asked (areaInScope).
 */
export async function findServicePointStates(
  db: Executor,
  ids: readonly string[],
): Promise<ServicePointState[]> {
  return statesById.rows(db, ids);
}

/** The path of each service point's area, by id (unknown ids left out; not scoped). */
export async function findServicePointAreaPaths(
  db: Executor,
  ids: readonly string[],
): Promise<{ id: string; area_path: string }[]> {
  return (await statesById.rows(db, ids)).map(({ id, area_path }) => ({ id, area_path }));
}

export const userServicePointsById = preparedByKey<
  string,
  { user_id: string; service_point_id: string }
>((db, key) =>
  db
    .selectFrom('user_service_points')
    .select(['user_id', 'service_point_id'])
    .where(key('user_id')),
);

/** The service points each of these users works at (users with none are left out). */
export async function findUserServicePoints(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; service_point_id: string }[]> {
  return userServicePointsById.rows(db, userIds);
}

export const homesByHousehold = preparedByKey<
  string,
  { household_id: string; programme_id: string; service_point_id: string }
>((db, key) =>
  db
    .selectFrom('household_service_points')
    .select(['household_id', 'programme_id', 'service_point_id'])
    .where(key('household_id')),
);

/** Each of these households' home service points, one row per programme that sets one. */
export async function findHomeServicePoints(
  db: Executor,
  householdIds: readonly string[],
): Promise<{ household_id: string; programme_id: string; service_point_id: string }[]> {
  return homesByHousehold.rows(db, householdIds);
}

/**
 * Makes the service point the home, in the programme, of every household in these areas
 * (each with its subtree) that lies inside the scope, replacing any other home they had there.
 * Returns how many households it set.
 */
export async function assignHomesInAreas(
  db: Executor,
  scope: Scope,
  input: { programmeId: string; servicePointId: string; areaPaths: readonly string[] },
): Promise<number> {
  const households = whereAreaInScope(
    db
      .selectFrom('households')
      .select((eb) => [
        eb.val(input.programmeId).as('programme_id'),
        'households.id as household_id',
        eb.val(input.servicePointId).as('service_point_id'),
      ])
      .where('households.status', '<>', 'merged')
      .where(
        areaInScopeExpression(
          { kind: 'areas', paths: [...input.areaPaths] },
          'households.area_pcode',
        ),
      ),
    scope,
    'households.area_pcode',
  );
  const result = await db
    .insertInto('household_service_points')
    .columns(['programme_id', 'household_id', 'service_point_id'])
    .expression(households)
    .onConflict((conflict) =>
      conflict
        .columns(['household_id', 'programme_id'])
        .doUpdateSet((eb) => ({ service_point_id: eb.ref('excluded.service_point_id') })),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** Sets (or with null, removes) one household's home service point in a programme. */
export async function setHome(
  db: Executor,
  input: { householdId: string; programmeId: string; servicePointId: string | null },
): Promise<void> {
  const servicePointId = input.servicePointId;
  if (servicePointId === null) {
    await db
      .deleteFrom('household_service_points')
      .where('household_id', '=', input.householdId)
      .where('programme_id', '=', input.programmeId)
      .execute();
    return;
  }
  await db
    .insertInto('household_service_points')
    .values({
      household_id: input.householdId,
      programme_id: input.programmeId,
      service_point_id: servicePointId,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['household_id', 'programme_id'])
        .doUpdateSet({ service_point_id: servicePointId }),
    )
    .execute();
}

/** Each of these households' homes with the programme's and the service point's names. */
export async function findHomesWithNames(
  db: Executor,
  householdIds: readonly string[],
): Promise<
  {
    household_id: string;
    programme_id: string;
    programme_code: string;
    programme_name_ar: string;
    programme_name_en: string;
    service_point_id: string;
    service_point_name_ar: string;
    service_point_name_en: string;
  }[]
> {
  if (householdIds.length === 0) return [];
  return db
    .selectFrom('household_service_points as h')
    .innerJoin('programmes as p', 'p.id', 'h.programme_id')
    .innerJoin('service_points as s', 's.id', 'h.service_point_id')
    .select([
      'h.household_id',
      'h.programme_id',
      'p.code as programme_code',
      'p.name_ar as programme_name_ar',
      'p.name_en as programme_name_en',
      'h.service_point_id',
      's.name_ar as service_point_name_ar',
      's.name_en as service_point_name_en',
    ])
    .where('h.household_id', 'in', householdIds)
    .orderBy('p.code')
    .execute();
}

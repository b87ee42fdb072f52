/** All SQL on runs and their stops, and the reads run planning makes of households. */
import { SqliteAdapter, sql } from 'kysely';
import type { Row, StopState } from '../../db/database.js';
import { preparedByKey, preparedUpdate } from '../../db/prepared.js';
import { escapeLike, whereAreaInScope } from '../../db/scope.js';
import type { Executor } from '../../db/transaction.js';
import type { Scope } from '../../domain/actor.js';

export type RunRecord = Row<'runs'>;
export type StopRecord = Row<'run_stops'>;

export interface Candidate {
  id: string;
  area_pcode: string;
  area_path: string;
  latitude: number | null;
  longitude: number | null;
  area_latitude: number | null;
  area_longitude: number | null;
}

const candidateColumns = [
  'households.id as id',
  'households.area_pcode as area_pcode',
  'areas.path as area_path',
  'households.latitude as latitude',
  'households.longitude as longitude',
  'areas.latitude as area_latitude',
  'areas.longitude as area_longitude',
] as const;

/** Active households in scope at or beneath any of the area paths, by id. */
export async function findCandidatesInAreas(
  db: Executor,
  scope: Scope,
  paths: readonly string[],
): Promise<Candidate[]> {
  if (paths.length === 0) return [];
  const query = db
    .selectFrom('households')
    .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
    .select(candidateColumns)
    .where('households.status', '=', 'active')
    .where((eb) =>
      eb.or(
        paths.map((path) =>
          eb.and([
            eb('areas.path', 'like', `${escapeLike(path)}%`),
            eb(eb.fn('substr', ['areas.path', eb.val(1), eb.val(path.length)]), '=', path),
          ]),
        ),
      ),
    );
  return whereAreaInScope(query, scope, 'households.area_pcode').orderBy('households.id').execute();
}

/** The households with these ids that are in scope (any status), by id. */
export async function findCandidatesByIds(
  db: Executor,
  scope: Scope,
  ids: readonly string[],
): Promise<(Candidate & { status: string })[]> {
  if (ids.length === 0) return [];
  const query = db
    .selectFrom('households')
    .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
    .select([...candidateColumns, 'households.status as status'])
    .where('households.id', 'in', [...ids]);
  return whereAreaInScope(query, scope, 'households.area_pcode').orderBy('households.id').execute();
}

/** Households of these ids already on a run of the cycle that is not closed. */
export async function findHouseholdsOnOpenRuns(
  db: Executor,
  cycleId: string,
  householdIds: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < householdIds.length; start += 500) {
    const rows = await db
      .selectFrom('run_stops')
      .innerJoin('runs', 'runs.id', 'run_stops.run_id')
      .select('run_stops.household_id')
      .where('run_stops.cycle_id', '=', cycleId)
      .where('runs.status', '!=', 'closed')
      .where('run_stops.state', 'in', ['planned', 'reserved', 'failed'])
      .where('run_stops.household_id', 'in', householdIds.slice(start, start + 500))
      .execute();
    for (const row of rows) found.add(row.household_id);
  }
  return found;
}

export async function insertRun(
  db: Executor,
  run: RunRecord,
  stops: readonly StopRecord[],
): Promise<void> {
  await db.insertInto('runs').values(run).execute();
  for (let start = 0; start < stops.length; start += 200) {
    await db
      .insertInto('run_stops')
      .values(stops.slice(start, start + 200))
      .execute();
  }
}

/** The run; on PostgreSQL with `forUpdate` its row stays locked to the end of the transaction. */
export async function findRun(
  db: Executor,
  id: string,
  forUpdate = false,
): Promise<RunRecord | undefined> {
  let query = db.selectFrom('runs').selectAll().where('id', '=', id);
  if (forUpdate && db.getExecutor().adapter.supportsReturning && isPostgres(db))
    query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Runs by id, each row locked on PostgreSQL (in id order, so two batches never deadlock). */
export async function lockRuns(db: Executor, ids: readonly string[]): Promise<RunRecord[]> {
  if (ids.length === 0) return [];
  let query = db
    .selectFrom('runs')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('id');
  if (isPostgres(db)) query = query.forUpdate();
  return query.execute();
}

function isPostgres(db: Executor): boolean {
  return !(db.getExecutor().adapter instanceof SqliteAdapter);
}

export interface RunFilter {
  status?: string | undefined;
  teamId?: string | undefined;
  date?: string | undefined;
  teamIds?: readonly string[] | undefined;
}

/** Runs whose source service point is in scope, newest day first. */
export async function listRuns(
  db: Executor,
  scope: Scope,
  filter: RunFilter,
): Promise<RunRecord[]> {
  let query = db
    .selectFrom('runs')
    .innerJoin('service_points', 'service_points.id', 'runs.source_service_point_id')
    .selectAll('runs');
  if (filter.status !== undefined)
    query = query.where('runs.status', '=', filter.status as 'planned');
  if (filter.teamId !== undefined) query = query.where('runs.team_id', '=', filter.teamId);
  if (filter.date !== undefined) query = query.where('runs.date', '=', filter.date);
  if (filter.teamIds !== undefined) {
    if (filter.teamIds.length === 0) return [];
    query = query.where('runs.team_id', 'in', [...filter.teamIds]);
  }
  return whereAreaInScope(query, scope, 'service_points.area_pcode')
    .orderBy('runs.date', 'desc')
    .orderBy('runs.created_at', 'desc')
    .orderBy('runs.id')
    .limit(500)
    .execute();
}

export async function findStops(db: Executor, runIds: readonly string[]): Promise<StopRecord[]> {
  if (runIds.length === 0) return [];
  return db
    .selectFrom('run_stops')
    .selectAll()
    .where('run_id', 'in', [...runIds])
    .orderBy('run_id')
    .orderBy('sequence')
    .execute();
}

export const stopsById = preparedByKey<string, StopRecord>(
  (db, key) => db.selectFrom('run_stops').selectAll().where(key('id')),
  { oneRowPerKey: true },
);

export async function findStopsByIds(db: Executor, ids: readonly string[]): Promise<StopRecord[]> {
  return stopsById.rows(db, ids);
}

/** What a field report changes on a stop; a null delivered_json or op_id keeps the stored one. */
export type StopResult = Pick<
  StopRecord,
  'id' | 'state' | 'failed_reason' | 'delivered_json' | 'op_id' | 'updated_at'
>;

export const updateStopResultRows = preparedUpdate<'run_stops', StopResult>(
  'run_stops',
  {
    id: 'text',
    state: 'text',
    failed_reason: 'text',
    delivered_json: 'text',
    op_id: 'text',
    updated_at: 'text',
  },
  (query, row) =>
    query
      .set((eb) => ({
        state: row.state,
        failed_reason: row.failed_reason,
        delivered_json: eb.fn.coalesce(row.delivered_json, eb.ref('run_stops.delivered_json')),
        op_id: eb.fn.coalesce(row.op_id, eb.ref('run_stops.op_id')),
        updated_at: row.updated_at,
      }))
      .where('run_stops.id', '=', row.id),
);

export async function updateStopResults(db: Executor, rows: readonly StopResult[]): Promise<void> {
  await updateStopResultRows.run(db, rows);
}

export async function updateRun(
  db: Executor,
  id: string,
  changes: Partial<RunRecord>,
): Promise<void> {
  await db.updateTable('runs').set(changes).where('id', '=', id).execute();
}

export interface StopChange {
  id: string;
  state: StopState;
  failed_reason?: string | null;
  delivered_json?: string | null;
  op_id?: string | null;
  updated_at: string;
}

export async function updateStops(db: Executor, changes: readonly StopChange[]): Promise<void> {
  for (const { id, ...change } of changes) {
    await db.updateTable('run_stops').set(change).where('id', '=', id).execute();
  }
}

/** Puts these stops on the run in this order (sequence 1, 2, ...) and sets its route length. */
export async function moveStops(
  db: Executor,
  runId: string,
  stops: readonly StopRecord[],
  lengthMetres: number,
  at: string,
): Promise<void> {
  for (const [index, stop] of stops.entries()) {
    await db
      .updateTable('run_stops')
      .set({ run_id: runId, sequence: index + 1, updated_at: at })
      .where('id', '=', stop.id)
      .execute();
  }
  await db
    .updateTable('runs')
    .set({ length_metres: lengthMetres })
    .where('id', '=', runId)
    .execute();
}

/** Sum of the goods each op of the run moved out of the team's stock, per commodity. */
export async function findRunGoods(db: Executor, runId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sync_ops')
    .select('goods_json')
    .where('run_id', '=', runId)
    .where('goods_json', 'is not', null)
    .execute();
  return rows.map((row) => row.goods_json ?? '[]');
}

/** Count of stops per state for each run. */
export async function countStopStates(
  db: Executor,
  runIds: readonly string[],
): Promise<{ run_id: string; state: string; count: number }[]> {
  if (runIds.length === 0) return [];
  const rows = await db
    .selectFrom('run_stops')
    .select(['run_id', 'state', sql<number>`count(*)`.as('count')])
    .where('run_id', 'in', [...runIds])
    .groupBy(['run_id', 'state'])
    .execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

/** What a visit needs of each household: the head's names, card number, address, area name. */
export async function findStopHouseholds(
  db: Executor,
  ids: readonly string[],
): Promise<
  {
    id: string;
    head_given_name: string;
    head_father_name: string;
    head_family_name: string;
    card_number: string;
    address: string | null;
    area_name_ar: string;
  }[]
> {
  const rows = [];
  for (let start = 0; start < ids.length; start += 500) {
    rows.push(
      ...(await db
        .selectFrom('households')
        .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
        .select([
          'households.id',
          'households.head_given_name',
          'households.head_father_name',
          'households.head_family_name',
          'households.card_number',
          'households.address',
          'areas.name_ar as area_name_ar',
        ])
        .where('households.id', 'in', ids.slice(start, start + 500))
        .execute()),
    );
  }
  return rows;
}

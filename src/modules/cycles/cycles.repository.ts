/** All SQL on cycles, their areas and the households credited in them. */
import { sql, type SqlBool } from 'kysely';
import type { CycleStatus, Row } from '../../db/database.js';
import { escapeLike, whereAreaInScope } from '../../db/scope.js';
import type { Executor } from '../../db/transaction.js';
import type { Scope } from '../../domain/actor.js';
import { ownerKinds, transferCodes } from '../../domain/entitlement/accounts.js';

export type CycleRecord = Row<'cycles'>;

export interface CycleArea {
  pcode: string;
  path: string;
}

export async function insertCycle(
  db: Executor,
  row: CycleRecord,
  areaPcodes: readonly string[],
): Promise<void> {
  await db.insertInto('cycles').values(row).execute();
  await db
    .insertInto('cycle_areas')
    .values(areaPcodes.map((area_pcode) => ({ cycle_id: row.id, area_pcode })))
    .execute();
}

/**
 * The cycle; with `forUpdate` on PostgreSQL its row stays locked until the transaction ends,
 * so two runs over one cycle take turns (SQLite's write transactions already do).
 */
export async function findCycle(
  db: Executor,
  id: string,
  options: { forUpdate?: boolean; dialect?: 'sqlite' | 'postgres' } = {},
): Promise<CycleRecord | undefined> {
  let query = db.selectFrom('cycles').selectAll().where('id', '=', id);
  if (options.forUpdate && options.dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? normalizeCycle(row) : undefined;
}

function normalizeCycle(row: CycleRecord): CycleRecord {
  return {
    ...row,
    credit_batches: Number(row.credit_batches),
    households_credited: Number(row.households_credited),
  };
}

export interface CycleFilter {
  status?: CycleStatus;
  programmeId?: string;
}

export async function listCycles(db: Executor, filter: CycleFilter): Promise<CycleRecord[]> {
  let query = db.selectFrom('cycles').selectAll();
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.programmeId !== undefined)
    query = query.where('programme_id', '=', filter.programmeId);
  const rows = await query.orderBy('starts_on', 'desc').orderBy('id').execute();
  return rows.map(normalizeCycle);
}

/** The areas of each cycle, with their paths, by cycle id. */
export async function findCycleAreas(
  db: Executor,
  cycleIds: readonly string[],
): Promise<Map<string, CycleArea[]>> {
  const result = new Map<string, CycleArea[]>(cycleIds.map((id) => [id, []]));
  if (cycleIds.length === 0) return result;
  const rows = await db
    .selectFrom('cycle_areas')
    .innerJoin('areas', 'areas.pcode', 'cycle_areas.area_pcode')
    .select(['cycle_areas.cycle_id', 'areas.pcode', 'areas.path'])
    .where('cycle_areas.cycle_id', 'in', cycleIds)
    .orderBy('areas.pcode')
    .execute();
  for (const row of rows) result.get(row.cycle_id)?.push({ pcode: row.pcode, path: row.path });
  return result;
}

export async function updateCycle(
  db: Executor,
  id: string,
  changes: Partial<Pick<CycleRecord, 'status' | 'opened_at' | 'closed_at'>>,
): Promise<void> {
  await db.updateTable('cycles').set(changes).where('id', '=', id).execute();
}

/** Up to `limit` credited households of the cycle after `afterHouseholdId`, in id order. */
export async function findCycleHouseholdIds(
  db: Executor,
  cycleId: string,
  afterHouseholdId: string | null,
  limit: number,
): Promise<string[]> {
  let query = db
    .selectFrom('cycle_households')
    .select('household_id')
    .where('cycle_id', '=', cycleId);
  if (afterHouseholdId !== null) query = query.where('household_id', '>', afterHouseholdId);
  const rows = await query.orderBy('household_id').limit(limit).execute();
  return rows.map((row) => row.household_id);
}

/** Ids of the cycles the household takes part in. */
export async function findCycleIdsOfHousehold(
  db: Executor,
  householdId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('cycle_households')
    .select('cycle_id')
    .where('household_id', '=', householdId)
    .execute();
  return rows.map((row) => row.cycle_id);
}

/**
 * Records that the household takes part in the cycle without crediting it (batch 0, which no
 * crediting batch uses): for an entitlement carried over from another household.
 */
export async function insertCycleMembership(
  db: Executor,
  cycleId: string,
  householdId: string,
  householdSize: number,
): Promise<void> {
  await db
    .insertInto('cycle_households')
    .values({
      cycle_id: cycleId,
      household_id: householdId,
      household_size: householdSize,
      batch: 0,
    })
    .execute();
}

/** The households credited in a cycle (for counts and reports). */
export async function countCycleHouseholds(db: Executor, cycleId: string): Promise<number> {
  const row = await db
    .selectFrom('cycle_households')
    .select(sql<number | string>`count(*)`.as('count'))
    .where('cycle_id', '=', cycleId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The subdistrict a household's area counts under: the area itself, or its parent. */
const subdistrictKey = sql<string>`case when areas.level = 'subdistrict' then areas.pcode else coalesce(areas.parent_pcode, areas.pcode) end`;

/**
 * Redeemed of an entitlement account: its posted debits less the expiry posted when the cycle
 * closed (transfer `expire:<cycle>:<household>:<commodity>`, the account id after 'ent:').
 */
const redeemedAmount = sql<number>`(accounts.debits_posted - coalesce((select expiry.amount from transfers as expiry where expiry.id = ${'expire:'} || substr(accounts.id, 5) and expiry.code = ${transferCodes.entitlementExpiry}), 0))`;

export interface AreaProgressRow {
  area_pcode: string;
  households_entitled: number;
  households_served: number;
}

export interface CommodityProgressRow {
  area_pcode: string;
  commodity: string;
  entitled: number;
  redeemed: number;
}

function entitlementAccountsOfCycle(db: Executor, cycleId: string, scope: Scope) {
  const query = db
    .selectFrom('cycle_households')
    .innerJoin('households', 'households.id', 'cycle_households.household_id')
    .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
    .innerJoin('accounts', (join) =>
      join
        .onRef('accounts.owner_id', '=', 'cycle_households.household_id')
        .on('accounts.owner_kind', '=', ownerKinds.household)
        .on(sql<SqlBool>`accounts.id like ${`${escapeLike(`ent:${cycleId}:`)}%`} escape '\\'`),
    )
    .where('cycle_households.cycle_id', '=', cycleId);
  return whereAreaInScope(query, scope, 'households.area_pcode');
}

/**
 * A cycle's progress per subdistrict, in SQL: households credited and those with a redemption
 * (any entitlement redeemed), and per commodity the quantity entitled and redeemed.
 */
export async function cycleProgress(
  db: Executor,
  cycleId: string,
  scope: Scope,
): Promise<{ areas: AreaProgressRow[]; commodities: CommodityProgressRow[] }> {
  let entitledQuery = db
    .selectFrom('cycle_households')
    .innerJoin('households', 'households.id', 'cycle_households.household_id')
    .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
    .where('cycle_households.cycle_id', '=', cycleId)
    .select((eb) => [
      subdistrictKey.as('area_pcode'),
      eb.fn.countAll<number | string>().as('households'),
    ])
    .groupBy(subdistrictKey);
  entitledQuery = whereAreaInScope(entitledQuery, scope, 'households.area_pcode');
  const entitled = await entitledQuery.execute();

  const served = await entitlementAccountsOfCycle(db, cycleId, scope)
    .where(redeemedAmount, '>', 0)
    .select((eb) => [
      subdistrictKey.as('area_pcode'),
      eb.fn.count<number | string>('accounts.owner_id').distinct().as('households'),
    ])
    .groupBy(subdistrictKey)
    .execute();

  const commodities = await entitlementAccountsOfCycle(db, cycleId, scope)
    .select((eb) => [
      subdistrictKey.as('area_pcode'),
      'accounts.commodity',
      eb.fn.sum<number | string>('accounts.credits_posted').as('entitled'),
      eb.fn.sum<number | string>(redeemedAmount).as('redeemed'),
    ])
    .groupBy([subdistrictKey, 'accounts.commodity'])
    .orderBy('accounts.commodity')
    .execute();

  const servedBy = new Map(served.map((row) => [row.area_pcode, Number(row.households)]));
  return {
    areas: entitled.map((row) => ({
      area_pcode: row.area_pcode,
      households_entitled: Number(row.households),
      households_served: servedBy.get(row.area_pcode) ?? 0,
    })),
    commodities: commodities.map((row) => ({
      area_pcode: row.area_pcode,
      commodity: row.commodity,
      entitled: Number(row.entitled),
      redeemed: Number(row.redeemed),
    })),
  };
}

/**
 * The cycle's households (in scope, within `withinPath` when given) that nothing has been
 * redeemed for yet, in id order after `after`, with the head's name, card, address and area.
 */
export async function findUnservedHouseholds(
  db: Executor,
  cycleId: string,
  scope: Scope,
  options: { withinPath?: string; after?: string; limit: number },
) {
  let query = db
    .selectFrom('cycle_households')
    .innerJoin('households', 'households.id', 'cycle_households.household_id')
    .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
    .where('cycle_households.cycle_id', '=', cycleId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('accounts')
            .select('accounts.id')
            .whereRef('accounts.owner_id', '=', 'cycle_households.household_id')
            .where('accounts.owner_kind', '=', ownerKinds.household)
            .where(
              sql<SqlBool>`accounts.id like ${`${escapeLike(`ent:${cycleId}:`)}%`} escape '\\'`,
            )
            .where(redeemedAmount, '>', 0),
        ),
      ),
    )
    .select([
      'households.id as id',
      'households.head_given_name',
      'households.head_father_name',
      'households.head_family_name',
      'households.card_number',
      'households.household_size',
      'households.address',
      'households.area_pcode',
      'areas.name_ar as area_name_ar',
      'areas.name_en as area_name_en',
    ])
    .orderBy('households.id')
    .limit(options.limit);
  if (options.withinPath !== undefined) {
    query = query.where(
      sql<SqlBool>`areas.path like ${`${escapeLike(options.withinPath)}%`} escape '\\'`,
    );
  }
  if (options.after !== undefined) query = query.where('households.id', '>', options.after);
  return whereAreaInScope(query, scope, 'households.area_pcode').execute();
}

/** What is left on the cycle's entitlement accounts of these households, per commodity. */
export async function findRemainingEntitlements(
  db: Executor,
  cycleId: string,
  householdIds: readonly string[],
): Promise<{ owner_id: string; commodity: string; remaining: number }[]> {
  if (householdIds.length === 0) return [];
  const rows = await db
    .selectFrom('accounts')
    .select([
      'owner_id',
      'commodity',
      sql<number>`credits_posted - debits_posted - debits_pending`.as('remaining'),
    ])
    .where('owner_kind', '=', ownerKinds.household)
    .where('owner_id', 'in', [...householdIds])
    .where(sql<SqlBool>`id like ${`${escapeLike(`ent:${cycleId}:`)}%`} escape '\\'`)
    .orderBy('commodity')
    .execute();
  return rows.map((row) => ({
    owner_id: row.owner_id ?? '',
    commodity: row.commodity,
    remaining: Number(row.remaining),
  }));
}

/**
 * Cycle opening: `openCycle` crediting every eligible household of a 1,000,000-household
 * registry with 4 commodities (4,000,000 entitlement accounts and 4,000,000 credit transfers,
 * plus the allotments' balances and the cycle's household list), on SQLite (file, WAL,
 * synchronous=FULL). Target: within 2x of a bare INSERT ... SELECT of the same rows.
 *
 * The floor, in the same database and run: tables of the same shape as `accounts` and
 * `transfers` (same columns, constraints, indexes and foreign keys), filled by one
 * INSERT ... SELECT each from `households` crossed with the 4 commodities, producing the same
 * ids and amounts (the programme's own rule and selection SQL), in one transaction, with no
 * batching, no balance updates and no cycle bookkeeping.
 *
 * Both dialects open a 1,000,000-household cycle; AWN_BENCH_CYCLE_HOUSEHOLDS (SQLite),
 * AWN_BENCH_CYCLE_POSTGRES_HOUSEHOLDS and AWN_BENCH_CYCLE_DIALECTS narrow the run while
 * profiling. Each registry load has
 * a time budget (AWN_BENCH_CYCLE_LOAD_SECONDS, default 300); if it runs out, both sides are
 * measured on what was loaded and the section says so.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Storage } from '../src/db/connect.js';
import { writeTransaction } from '../src/db/transaction.js';
import { systemActor } from '../src/domain/actor.js';
import {
  allotmentAccountId,
  ownerKinds,
  transferCodes,
} from '../src/domain/entitlement/accounts.js';
import { loadShippedAreas } from '../src/modules/areas/areas.service.js';
import { createCommodity } from '../src/modules/commodities/commodities.service.js';
import { createCycle, openCycle } from '../src/modules/cycles/cycles.service.js';
import { verifyLedger } from '../src/modules/ledger/ledger.service.js';
import { selectionSql } from '../src/modules/programmes/programmes.rules-sql.js';
import { itemQuantitySql } from '../src/modules/programmes/programmes.rules-sql.js';
import type { RulesInput } from '../src/modules/programmes/programmes.schema.js';
import { createProgramme, ruleAreaPaths } from '../src/modules/programmes/programmes.service.js';
import { systemClock } from '../src/shared/clock.js';
import {
  formatCount,
  markdownTable,
  openBenchStorage,
  postgresAvailable,
  type Benchmark,
} from './harness.js';
import { loadHouseholds } from './households.generate.js';

const sizes: Record<Dialect, number> = {
  sqlite: Number(process.env.AWN_BENCH_CYCLE_HOUSEHOLDS ?? 1_000_000),
  postgres: Number(process.env.AWN_BENCH_CYCLE_POSTGRES_HOUSEHOLDS ?? 1_000_000),
};
const loadBudgetSeconds = Number(process.env.AWN_BENCH_CYCLE_LOAD_SECONDS ?? 300);
const targetFactor = 2;

const commodities = [
  { code: 'bread', name_ar: 'خبز', name_en: 'Bread', base_unit: 'bundle', scale: 1 },
  { code: 'sugar', name_ar: 'سكر', name_en: 'Sugar', base_unit: 'g', scale: 1000 },
  { code: 'rice', name_ar: 'رز', name_en: 'Rice', base_unit: 'g', scale: 1000 },
  { code: 'oil', name_ar: 'زيت', name_en: 'Oil', base_unit: 'ml', scale: 1000 },
] as const;

/** A ration of the four: tiers by size for bread and oil, per person with bounds for the rest. */
const rules: RulesInput = {
  items: [
    {
      commodity: 'bread',
      tiers: [{ size_max: 3, quantity: 1 }, { size_max: 6, quantity: 2 }, { quantity: 3 }],
    },
    { commodity: 'sugar', per_person: 1000, min: 1000, max: 5000 },
    { commodity: 'rice', per_person: 1500, max: 9000 },
    { commodity: 'oil', tiers: [{ size_max: 4, quantity: 1000 }, { quantity: 2000 }] },
  ],
};

interface Measurement {
  dialect: Dialect;
  households: number;
  cutShort: boolean;
  loadSeconds: number;
  floorSeconds: number;
  openSeconds: number;
  accounts: number;
  transfers: number;
  verified: string;
}

/** Creates floor_accounts and floor_transfers with the shape of accounts and transfers. */
async function createFloorTables(storage: Storage): Promise<void> {
  if (storage.dialect === 'postgres') {
    await sql`create table floor_accounts (like accounts including all)`.execute(storage.db);
    await sql`alter table floor_accounts add foreign key (commodity) references commodities (code)`.execute(
      storage.db,
    );
    await sql`create table floor_transfers (like transfers including all)`.execute(storage.db);
    for (const column of ['debit_account_id', 'credit_account_id']) {
      await sql`alter table floor_transfers add foreign key (${sql.ref(column)}) references floor_accounts (id)`.execute(
        storage.db,
      );
    }
    return;
  }
  // SQLite: the stored definitions, renamed (foreign keys to accounts follow to floor_accounts).
  const definitions = await sql<{ definition: string }>`
    select sql as definition from sqlite_master
    where tbl_name in ('accounts', 'transfers') and sql is not null
    order by type desc, tbl_name`.execute(storage.db);
  for (const { definition } of definitions.rows) {
    const renamed = definition
      .replace(/"(accounts|transfers)"/gu, '"floor_$1"')
      .replace(/(create (?:unique )?index )"?(\w+)"?/iu, '$1"floor_$2"');
    await sql.raw(renamed).execute(storage.db);
  }
}

/** The bare INSERT ... SELECTs of the same account and transfer rows; answers the seconds. */
async function insertFloor(
  storage: Storage,
  programmeId: string,
  cycleId: string,
  selection: Parameters<typeof selectionSql>[0],
  now: string,
): Promise<number> {
  const text = (value: string): RawBuilder<string> => sql`cast(${value} as text)`;
  const commodity = sql.ref<string>('c.commodity');
  const size = sql.ref<number>('h.household_size');
  const quantity = sql<number>`(case ${sql.join(
    rules.items.map(
      (item) =>
        sql`when ${commodity} = ${text(item.commodity)} then ${itemQuantitySql(item, size)}`,
    ),
    sql` `,
  )} end)`;
  const allotment = sql<string>`(case ${sql.join(
    rules.items.map(
      (item) =>
        sql`when ${commodity} = ${text(item.commodity)} then ${text(allotmentAccountId(programmeId, item.commodity))}`,
    ),
    sql` `,
  )} end)`;
  const items = sql.join(
    rules.items.map((item, index) =>
      index === 0
        ? sql`select ${text(item.commodity)} as commodity`
        : sql`select ${text(item.commodity)}`,
    ),
    sql` union all `,
  );
  const suffix = sql`${text(cycleId)} || ':' || h.id || ':' || ${commodity}`;
  await writeTransaction(storage, async (trx) => {
    for (const item of rules.items) {
      await sql`
        insert into floor_accounts (id, commodity, owner_kind, owner_id, flags, debits_posted,
          credits_posted, debits_pending, credits_pending, created_at)
        values (${allotmentAccountId(programmeId, item.commodity)}, ${item.commodity},
          ${ownerKinds.programme}, ${programmeId}, 0, 0, 0, 0, 0, ${now})`.execute(trx);
    }
  });
  const started = performance.now();
  await writeTransaction(storage, async (trx) => {
    await sql`
      insert into floor_accounts (id, commodity, owner_kind, owner_id, flags, debits_posted,
        credits_posted, debits_pending, credits_pending, created_at)
      select 'ent:' || ${suffix}, ${commodity}, ${text(ownerKinds.household)}, h.id, 1, 0,
        ${quantity}, 0, 0, ${text(now)}
      from households as h cross join (${items}) as c
      where ${selectionSql(selection)} and ${quantity} > 0`.execute(trx);
    await sql`
      insert into floor_transfers (id, debit_account_id, credit_account_id, amount, commodity,
        code, flags, pending_id, timeout_seconds, actor_id, references_json, created_at)
      select 'credit:' || ${suffix}, ${allotment}, 'ent:' || ${suffix}, ${quantity}, ${commodity},
        ${text(transferCodes.entitlementCredit)}, 0, null, 0, null, null, ${text(now)}
      from households as h cross join (${items}) as c
      where ${selectionSql(selection)} and ${quantity} > 0`.execute(trx);
  });
  return (performance.now() - started) / 1000;
}

async function count(storage: Storage, query: RawBuilder<{ count: number | string }>) {
  const result = await query.execute(storage.db);
  return Number(result.rows[0]?.count ?? 0);
}

async function runDialect(dialect: Dialect): Promise<Measurement> {
  const storage = await openBenchStorage(dialect);
  const clock = systemClock;
  try {
    await loadShippedAreas(storage, clock);
    for (const commodity of commodities) {
      await createCommodity(
        storage,
        systemActor,
        {
          code: commodity.code,
          name_ar: commodity.name_ar,
          name_en: commodity.name_en,
          base_unit: commodity.base_unit,
          display_unit: commodity.scale === 1 ? commodity.base_unit : 'kg',
          display_scale: commodity.scale,
        },
        clock,
      );
    }
    const subdistricts = (
      await storage.db
        .selectFrom('areas')
        .select('pcode')
        .where('level', '=', 'subdistrict')
        .where('pcode', 'like', 'SY06%')
        .orderBy('pcode')
        .execute()
    ).map((area) => area.pcode);
    const load = await loadHouseholds(storage, {
      count: sizes[dialect],
      subdistricts,
      clock,
      withTokens: false,
      deferIndexes: true,
      deadlineSeconds: loadBudgetSeconds,
    });
    console.log(
      `  cycle ${dialect}: ${formatCount(load.households)} households loaded in ${load.seconds.toFixed(0)} s`,
    );

    const programme = await createProgramme(
      storage,
      systemActor,
      { code: 'ration', name_ar: 'الحصة التموينية', name_en: 'Ration', rules },
      clock,
    );
    const today = clock().toISOString().slice(0, 10);
    const cycle = await createCycle(
      storage,
      systemActor,
      { programme_id: programme.id, starts_on: today, ends_on: today, area_pcodes: ['SY06'] },
      clock,
    );
    const areaPaths = await storage.db
      .selectFrom('areas')
      .select('path')
      .where('pcode', '=', 'SY06')
      .execute();
    const selection = {
      rules,
      ruleAreaPaths: await ruleAreaPaths(storage.db, rules),
      withinPaths: areaPaths.map((area) => area.path),
      scope: { kind: 'all' as const },
    };

    await createFloorTables(storage);
    // Both sides then read a registry whose pages are equally warm.
    await sql`select count(*), sum(household_size) from households`.execute(storage.db);
    const floorSeconds = await insertFloor(
      storage,
      programme.id,
      cycle.id,
      selection,
      clock().toISOString(),
    );
    console.log(`  cycle ${dialect}: floor ${floorSeconds.toFixed(1)} s`);

    const started = performance.now();
    const opened = await openCycle(storage, systemActor, cycle.id, clock);
    const openSeconds = (performance.now() - started) / 1000;
    console.log(`  cycle ${dialect}: openCycle ${openSeconds.toFixed(1)} s`);

    const accounts = await count(
      storage,
      sql`select count(*) as count from accounts where owner_kind = ${ownerKinds.household}`,
    );
    const floorAccounts = await count(
      storage,
      sql`select count(*) as count from floor_accounts where owner_kind = ${ownerKinds.household}`,
    );
    const transfers = await count(
      storage,
      sql`select count(*) as count from transfers where code = ${transferCodes.entitlementCredit}`,
    );
    const floorTransfers = await count(storage, sql`select count(*) as count from floor_transfers`);
    if (
      accounts !== floorAccounts ||
      transfers !== floorTransfers ||
      opened.households_credited !== load.households
    ) {
      throw new Error(
        `cycle bench: openCycle wrote ${accounts} accounts / ${transfers} transfers for ${opened.households_credited} households, the floor ${floorAccounts} / ${floorTransfers}`,
      );
    }
    const report = await verifyLedger(storage.db);
    const verified = report.ok
      ? `ledger verified: ${formatCount(report.transfers)} transfers over ${formatCount(report.accounts)} accounts, no discrepancy`
      : `LEDGER VERIFY FAILED: ${JSON.stringify(report.discrepancies[0])}`;
    return {
      dialect,
      households: load.households,
      cutShort: load.cutShort,
      loadSeconds: load.seconds,
      floorSeconds,
      openSeconds,
      accounts,
      transfers,
      verified,
    };
  } finally {
    await storage.close();
  }
}

function selectedDialects(postgres: boolean): Dialect[] {
  const wanted = process.env.AWN_BENCH_CYCLE_DIALECTS?.split(',');
  return (['sqlite', 'postgres'] as Dialect[]).filter(
    (dialect) => (!wanted || wanted.includes(dialect)) && (dialect === 'sqlite' || postgres),
  );
}

async function run(): Promise<string> {
  const postgres = await postgresAvailable();
  const measurements: Measurement[] = [];
  for (const dialect of selectedDialects(postgres)) measurements.push(await runDialect(dialect));

  const lines = measurements.map((m) => {
    const factor = m.openSeconds / m.floorSeconds;
    const size =
      m.households >= 1_000_000
        ? `${formatCount(m.households)} households`
        : `${formatCount(m.households)} households only (${m.cutShort ? `the load budget of ${loadBudgetSeconds} s ran out before ${formatCount(sizes[m.dialect])}` : `a smaller registry, to keep the run within its time`})`;
    return `- ${m.dialect}: **${factor <= targetFactor ? 'MET' : 'NOT MET'}**: openCycle took ${factor.toFixed(2)}x the bare INSERT ... SELECT (${m.openSeconds.toFixed(1)} s vs ${m.floorSeconds.toFixed(1)} s) on ${size} x ${rules.items.length} commodities`;
  });
  if (!postgres) lines.push('- postgres: server unreachable, not measured');
  const rows = measurements.flatMap((m) => [
    [
      m.dialect,
      'floor: one INSERT ... SELECT per table',
      formatCount(m.households),
      formatCount(m.accounts),
      formatCount(m.transfers),
      m.floorSeconds.toFixed(1),
      formatCount((m.accounts + m.transfers) / m.floorSeconds),
    ],
    [
      m.dialect,
      'openCycle (batches of 8,000 rows)',
      formatCount(m.households),
      formatCount(m.accounts),
      formatCount(m.transfers),
      m.openSeconds.toFixed(1),
      formatCount((m.accounts + m.transfers) / m.openSeconds),
    ],
  ]);
  return [
    '## Cycle opening',
    '',
    `\`openCycle\` (cycles service) over generated households (see the search section for how they are loaded; name tokens left out, which cycles never read) and a programme of ${rules.items.length} commodities (bread and oil by size tiers, sugar and rice per person with bounds), against a floor measured right before it in the same database: tables of the same shape as \`accounts\` and \`transfers\` (columns, constraints, indexes, foreign keys) filled with the same rows (same ids, amounts and selection SQL) by one INSERT ... SELECT each, in one transaction. openCycle additionally writes the cycle's household list, updates the allotments' balances, commits a transaction per batch and keeps the cycle re-runnable.`,
    '',
    `**Target (within ${targetFactor}x of the bare INSERT ... SELECT):**`,
    '',
    ...lines,
    '',
    markdownTable(
      ['dialect', 'run', 'households', 'accounts', 'transfers', 'seconds', 'rows/s'],
      rows,
    ),
    '',
    ...measurements.map(
      (m) =>
        `- ${m.dialect}: registry loaded in ${m.loadSeconds.toFixed(0)} s; ${m.verified} (after the run, not timed).`,
    ),
  ].join('\n');
}

export const cycleBenchmark: Benchmark = { name: 'cycle', run };

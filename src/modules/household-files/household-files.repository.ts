/** All SQL of household imports: the import's row, and undoing the households it wrote. */
import type { Executor } from '../../db/transaction.js';

export async function insertHouseholdImport(
  trx: Executor,
  row: { id: string; created_by: string | null; now: string },
): Promise<void> {
  await trx
    .insertInto('household_imports')
    .values({
      id: row.id,
      status: 'writing',
      created_by: row.created_by,
      started_at: row.now,
      heartbeat_at: row.now,
      finished_at: null,
      joined_at: null,
    })
    .execute();
}

/** Moves the heartbeat of a writing import forward; false when it is no longer writing. */
export async function touchHouseholdImport(
  trx: Executor,
  id: string,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('household_imports')
    .set({ heartbeat_at: now })
    .where('id', '=', id)
    .where('status', '=', 'writing')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A committed import's households have all joined the open cycles. */
export async function markHouseholdImportJoined(
  trx: Executor,
  id: string,
  now: string,
): Promise<void> {
  await trx
    .updateTable('household_imports')
    .set({ joined_at: now, heartbeat_at: now })
    .where('id', '=', id)
    .execute();
}

/**
 * Up to `limit` of the households a committed import wrote, after `afterId` in id order (the
 * joining's cursor); the heartbeat moves forward with it.
 */
export async function nextImportedHouseholds(
  trx: Executor,
  importId: string,
  afterId: string | null,
  limit: number,
  now: string,
): Promise<string[]> {
  await trx
    .updateTable('household_imports')
    .set({ heartbeat_at: now })
    .where('id', '=', importId)
    .execute();
  let query = trx
    .selectFrom('households')
    .select('id')
    .where('import_id', '=', importId)
    .orderBy('id')
    .limit(limit);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return (await query.execute()).map((row) => row.id);
}

/** Ends an import: a writing one as committed, an undoing one as undone; false otherwise. */
export async function finishHouseholdImport(
  trx: Executor,
  id: string,
  status: 'committed' | 'undone',
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('household_imports')
    .set({ status, finished_at: now, heartbeat_at: now })
    .where('id', '=', id)
    .where('status', '=', status === 'committed' ? 'writing' : 'undoing')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks an import that did not commit as being undone; false when it committed or is undone. */
export async function markHouseholdImportUndoing(
  trx: Executor,
  id: string,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('household_imports')
    .set({ status: 'undoing', heartbeat_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['writing', 'undoing'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Imports writing or undoing, or committed and not yet joined to the open cycles, whose
 * heartbeat is older than `before`: their process is gone (an undo or a join run twice is
 * harmless).
 */
export async function findAbandonedImports(
  db: Executor,
  before: string,
): Promise<{ id: string; status: 'writing' | 'committed' | 'undoing' | 'undone' }[]> {
  return db
    .selectFrom('household_imports')
    .select(['id', 'status'])
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['writing', 'undoing']),
        eb.and([eb('status', '=', 'committed'), eb('joined_at', 'is', null)]),
      ]),
    )
    .where('heartbeat_at', '<', before)
    .orderBy('started_at')
    .execute();
}

/**
 * Deletes up to `limit` of the households an import wrote, with every row the import wrote for
 * them (cards, members, tags, name tokens, likely-duplicate candidates); answers how many.
 */
export async function deleteImportedHouseholds(
  trx: Executor,
  importId: string,
  limit: number,
): Promise<number> {
  const ids = (
    await trx
      .selectFrom('households')
      .select('id')
      .where('import_id', '=', importId)
      .limit(limit)
      .execute()
  ).map((row) => row.id);
  if (ids.length === 0) return 0;
  await trx
    .deleteFrom('duplicate_candidates')
    .where((eb) => eb.or([eb('household_id', 'in', ids), eb('other_household_id', 'in', ids)]))
    .execute();
  for (const table of [
    'household_name_tokens',
    'household_tags',
    'household_members',
    'cards',
  ] as const) {
    await trx.deleteFrom(table).where('household_id', 'in', ids).execute();
  }
  await trx.deleteFrom('households').where('id', 'in', ids).execute();
  return ids.length;
}

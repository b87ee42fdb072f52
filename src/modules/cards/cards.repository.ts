/** All SQL of ration cards and their signing key. */
import type { Row } from '../../db/database.js';
import { preparedByKey } from '../../db/prepared.js';
import type { Executor } from '../../db/transaction.js';

export const signingKeySetting = 'cards.signing_key';

export async function findSetting(db: Executor, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

/** Stores the value unless the key is set already (a concurrent first start keeps one). */
export async function insertSettingIfAbsent(
  db: Executor,
  key: string,
  value: string,
): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute();
}

export interface CardWithHolder extends Row<'cards'> {
  household_status: Row<'households'>['status'];
  household_size: number;
  current_card_number: string;
  area_pcode: string;
  area_path: string;
}

export const cardsWithHoldersByNumber = preparedByKey<string, CardWithHolder>(
  (db, key) =>
    db
      .selectFrom('cards')
      .innerJoin('households', 'households.id', 'cards.household_id')
      .innerJoin('areas', 'areas.pcode', 'households.area_pcode')
      .selectAll('cards')
      .select([
        'households.status as household_status',
        'households.household_size as household_size',
        'households.card_number as current_card_number',
        'households.area_pcode as area_pcode',
        'areas.path as area_path',
      ])
      .where(key('cards.card_number')),
  { oneRowPerKey: true },
);

/** The cards with these numbers, each with its household's state; unknown numbers are left out. */
export async function findCardsWithHolders(
  db: Executor,
  cardNumbers: readonly string[],
): Promise<CardWithHolder[]> {
  return cardsWithHoldersByNumber.rows(db, cardNumbers);
}

/** The current cards (number and issue date) of these households. */
export async function findCurrentCards(
  db: Executor,
  householdIds: readonly string[],
): Promise<Row<'cards'>[]> {
  if (householdIds.length === 0) return [];
  const result: Row<'cards'>[] = [];
  for (let start = 0; start < householdIds.length; start += 500) {
    result.push(
      ...(await db
        .selectFrom('cards')
        .innerJoin('households', 'households.card_number', 'cards.card_number')
        .selectAll('cards')
        .where('households.id', 'in', householdIds.slice(start, start + 500))
        .execute()),
    );
  }
  return result;
}

export async function cardNumberExists(db: Executor, cardNumber: string): Promise<boolean> {
  const row = await db
    .selectFrom('cards')
    .select('card_number')
    .where('card_number', '=', cardNumber)
    .executeTakeFirst();
  return row !== undefined;
}

/** Revokes every unrevoked card of the household; returns their numbers. */
export async function revokeCards(
  db: Executor,
  householdId: string,
  at: string,
  reason: string,
): Promise<string[]> {
  const rows = await db
    .updateTable('cards')
    .set({ revoked_at: at, revoked_reason: reason })
    .where('household_id', '=', householdId)
    .where('revoked_at', 'is', null)
    .returning('card_number')
    .execute();
  return rows.map((row) => row.card_number);
}

/** Records a new card and makes it the household's current one. */
export async function issueCard(
  db: Executor,
  card: Row<'cards'>,
  updatedAt: string,
): Promise<void> {
  await db.insertInto('cards').values(card).execute();
  await db
    .updateTable('households')
    .set({ card_number: card.card_number, updated_at: updatedAt })
    .where('id', '=', card.household_id)
    .execute();
}

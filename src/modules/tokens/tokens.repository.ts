/** The SQL of device and integration tokens: only the SHA-256 of a token is stored. */
import type { NewRow, Row } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';

export type TokenRow = Row<'tokens'>;

export async function insertToken(trx: Executor, row: NewRow<'tokens'>): Promise<void> {
  await trx.insertInto('tokens').values(row).execute();
}

export async function findTokenById(db: Executor, id: string): Promise<TokenRow | undefined> {
  return db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Tokens, newest first; of one user when `userId` is given. */
export async function findTokens(db: Executor, userId?: string): Promise<TokenRow[]> {
  let query = db.selectFrom('tokens').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  return query.execute();
}

export async function markTokenRevoked(trx: Executor, id: string, atIso: string): Promise<void> {
  await trx
    .updateTable('tokens')
    .set({ revoked_at: atIso })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The enabled user owning the unrevoked token with this hash, or undefined. */
export async function findTokenUser(
  db: Executor,
  tokenHash: string,
): Promise<Pick<Row<'users'>, 'id' | 'role'> | undefined> {
  return db
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.user_id')
    .select(['users.id', 'users.role'])
    .where('tokens.token_hash', '=', tokenHash)
    .where('tokens.revoked_at', 'is', null)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

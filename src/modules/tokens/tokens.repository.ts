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

/** The enabled user owning the unrevoked token with this hash (and the token's id), or undefined. */
export async function findTokenUser(
  db: Executor,
  tokenHash: string,
): Promise<(Pick<Row<'users'>, 'id' | 'role'> & { token_id: string }) | undefined> {
  return db
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.user_id')
    .select(['users.id', 'users.role', 'tokens.id as token_id'])
    .where('tokens.token_hash', '=', tokenHash)
    .where('tokens.revoked_at', 'is', null)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Revokes every live token of the user, except `exceptId` when given; answers the ids revoked.
 * Revoked stays revoked: enabling the user again revives none.
 */
export async function revokeUserTokens(
  trx: Executor,
  userId: string,
  atIso: string,
  exceptId?: string,
): Promise<string[]> {
  let query = trx
    .updateTable('tokens')
    .set({ revoked_at: atIso })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id).sort();
}

/**
 * Device and integration tokens: a bearer secret (`awn_` + 32 random bytes, base64url) shown
 * once at creation and stored only as its SHA-256. A token acts with the role and scope of
 * the user it belongs to, and stops working when revoked or when that user is disabled.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { can } from '../../shared/permissions.js';
import { appendAuditEvent, appendAuditEvents } from '../audit/audit.service.js';
import { hashSecret, newSecret } from '../auth/secret.js';
import { findUserById } from '../users/users.service.js';
import { resolveUserScope, toRole } from '../users/users.service.js';
import {
  findTokenById,
  findTokens,
  findTokenUser,
  insertToken,
  markTokenRevoked,
  revokeUserTokens,
  type TokenRow,
} from './tokens.repository.js';

export const tokenPrefix = 'awn_';
export type TokenKind = 'device' | 'integration';

export interface TokenView {
  id: string;
  kind: TokenKind;
  name: string;
  user_id: string;
  created_at: string;
  revoked_at: string | null;
}

export interface CreateTokenInput {
  kind: TokenKind;
  name: string;
  /** Whose token; defaults to the actor's own user. Only an admin may name another user. */
  userId?: string | undefined;
}

function presentToken(row: TokenRow): TokenView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    user_id: row.user_id,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}

function mayManageOthers(actor: Actor): boolean {
  return actor.kind === 'system' || can(actor.role, 'tokens.manageAll');
}

/**
 * Issues a token and returns its secret, the only time it is ever shown.
 * Anyone signed in may issue a device token for themselves; integration tokens and tokens
 * for other users need an admin; a token cannot issue tokens.
 */
export async function createToken(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  input: CreateTokenInput,
  clock: Clock = systemClock,
): Promise<{ token: TokenView; secret: string }> {
  if (actor.kind === 'token')
    throw new ForbiddenError('forbidden', 'A token cannot issue tokens; sign in instead.');
  const userId = input.userId ?? actor.userId;
  if (userId === null) throw new ValidationError([{ path: '/user_id', message: 'is required' }]);
  if (!mayManageOthers(actor) && (userId !== actor.userId || input.kind === 'integration')) {
    throw new ForbiddenError('forbidden', 'Only an admin may issue this token.');
  }
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100)
    throw new ValidationError([{ path: '/name', message: 'must be 1 to 100 characters' }]);

  const secret = tokenPrefix + newSecret();
  const row: TokenRow = {
    id: randomUUID(),
    token_hash: hashSecret(secret),
    kind: input.kind,
    name,
    user_id: userId,
    revoked_at: null,
    created_at: clock().toISOString(),
  };
  await writeTransaction(storage, async (trx) => {
    const owner = await findUserById(trx, userId);
    if (!owner || owner.disabled_at !== null)
      throw new ValidationError([{ path: '/user_id', message: 'is not an enabled user' }]);
    await insertToken(trx, row);
    await appendAuditEvent(
      trx,
      {
        actor,
        action: 'token.create',
        entity: 'token',
        entityId: row.id,
        fields: ['kind', 'name', 'user_id'],
      },
      clock,
    );
  });
  return { token: presentToken(row), secret };
}

/** Tokens without secrets: an admin sees all (or one user's), others only their own. */
export async function listTokens(
  db: Executor,
  actor: Actor,
  filter: { userId?: string | undefined } = {},
): Promise<TokenView[]> {
  const userId = mayManageOthers(actor) ? filter.userId : (actor.userId ?? '');
  return (await findTokens(db, userId)).map(presentToken);
}

/** Revokes a token (idempotent); someone else's token is 404 unless the actor is an admin. */
export async function revokeToken(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  clock: Clock = systemClock,
): Promise<void> {
  await writeTransaction(storage, async (trx) => {
    const token = await findTokenById(trx, id);
    if (!token || (!mayManageOthers(actor) && token.user_id !== actor.userId))
      throw new NotFoundError('token');
    if (token.revoked_at !== null) return;
    await markTokenRevoked(trx, id, clock().toISOString());
    await appendAuditEvent(
      trx,
      { actor, action: 'token.revoke', entity: 'token', entityId: id, fields: ['revoked_at'] },
      clock,
    );
  });
}

/** The actor for a live token of an enabled user, or null. */
export async function authenticateToken(
  db: Executor,
  secret: string,
  requestId: string | null,
): Promise<Actor | null> {
  if (!secret.startsWith(tokenPrefix)) return null;
  const user = await findTokenUser(db, hashSecret(secret));
  if (!user) return null;
  return {
    kind: 'token',
    userId: user.id,
    role: toRole(user.role),
    scope: await resolveUserScope(db, user),
    requestId,
    tokenId: user.token_id,
  };
}

/**
 * In the caller's write transaction: revokes every live token of the user (but `exceptId`,
 * the token making the change, when given), one audit event each. For disabling a user and
 * for a password change: a token taken with the old password must not outlive it.
 */
export async function revokeTokensOfUser(
  trx: Executor,
  actor: Actor,
  userId: string,
  clock: Clock,
  exceptId?: string,
): Promise<void> {
  const revoked = await revokeUserTokens(trx, userId, clock().toISOString(), exceptId);
  await appendAuditEvents(
    trx,
    revoked.map((id) => ({
      actor,
      action: 'token.revoke',
      entity: 'token',
      entityId: id,
      fields: ['revoked_at'],
    })),
    clock,
  );
}

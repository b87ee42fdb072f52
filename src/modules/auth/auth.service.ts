/**
 * Sign-in, sign-out and session look-up. Sessions live in the database under the SHA-256
 * of their id; a fresh id is made at every sign-in (the one presented, if any, is ended);
 * a session lasts 12 hours from sign-in, whatever the activity.
 */
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import { systemActor, type Actor } from '../../domain/actor.js';
import { UnauthorizedError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { findUserByUsername } from '../users/users.service.js';
import {
  getUser,
  normalizeUsername,
  resolveUserScope,
  toRole,
  type UserView,
} from '../users/users.service.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findLiveSession,
  insertSession,
} from './auth.repository.js';
import { LoginThrottle, type Attempt } from './login-throttle.js';
import { dummyPasswordHash, verifyPassword, withHashingSlot } from './password.js';
import { hashSecret, newSecret } from './secret.js';

// What other modules may read of this module's tables (they never import its repository).
export { deleteUserSessions } from './auth.repository.js';

export const sessionCookieName = 'awn_session';
export const sessionLifetime_ms = 12 * 60 * 60 * 1000;

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

/** The signed-in user as the API shows it. */
export type SessionUserView = Pick<UserView, 'id' | 'username' | 'display_name' | 'role' | 'scope'>;

export interface LoginInput {
  username: string;
  password: string;
  /** The client's address, for the per-address throttle. */
  address: string;
  /** The session id the client presented, if any: it is ended (rotation). */
  previousSessionId?: string | undefined;
  requestId: string | null;
}

export interface LoginResult {
  sessionId: string;
  expiresAt: Date;
  user: SessionUserView;
}

function invalidCredentials(): UnauthorizedError {
  return new UnauthorizedError('invalid-credentials', 'The username or password is wrong.');
}

/**
 * Checks the credentials and opens a new session. Unknown user, wrong password and disabled
 * user all get the same 401 `invalid-credentials` after the same work. The attempt takes a
 * hashing slot (429 `too-many-requests` at once when the queue is full) and is counted before
 * the password is checked (429 `rate-limited` past the limits, see login-throttle.ts).
 * Failures are audit-logged as 'auth.login_failed' without the username.
 */
export async function login(
  storage: WriteStorage,
  throttle: LoginThrottle,
  input: LoginInput,
  clock: Clock,
): Promise<LoginResult> {
  const username = normalizeUsername(input.username);
  return withHashingSlot(async () => {
    const attempt = await throttle.begin(storage, username, input.address, clock());
    try {
      return await checkAndOpenSession(storage, throttle, attempt, username, input, clock);
    } finally {
      attempt.release();
    }
  });
}

async function checkAndOpenSession(
  storage: WriteStorage,
  throttle: LoginThrottle,
  attempt: Attempt,
  username: string,
  input: LoginInput,
  clock: Clock,
): Promise<LoginResult> {
  const user = await findUserByUsername(storage.db, username);
  const passwordMatches = await verifyPassword(
    input.password,
    user?.password_hash ?? (await dummyPasswordHash()),
  );
  const actor = { userId: user?.id ?? null, requestId: input.requestId };
  if (!user || !passwordMatches || user.disabled_at !== null) {
    // The attempt is already counted; only the audit event is left to write.
    await writeTransaction(storage, (trx) =>
      appendAuditEvent(
        trx,
        {
          actor,
          action: 'auth.login_failed',
          entity: 'user',
          entityId: user?.id ?? null,
          fields: [],
        },
        clock,
      ),
    );
    throw invalidCredentials();
  }

  const sessionId = newSecret();
  const now = clock();
  const expiresAt = new Date(now.getTime() + sessionLifetime_ms);
  await writeTransaction(storage, async (trx) => {
    await throttle.succeeded(trx, attempt);
    if (input.previousSessionId) await deleteSession(trx, hashSecret(input.previousSessionId));
    await deleteExpiredSessions(trx, user.id, now.toISOString());
    await insertSession(trx, {
      id_hash: hashSecret(sessionId),
      user_id: user.id,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    });
    await appendAuditEvent(
      trx,
      { actor, action: 'auth.login', entity: 'user', entityId: user.id, fields: [] },
      clock,
    );
  });
  const view = await getUser(storage.db, systemActor, user.id);
  return { sessionId, expiresAt, user: presentSessionUser(view) };
}

/**
 * Housekeeping: deletes every user's expired sessions and the failed sign-ins that have left
 * the throttle's window. Neither counts any more; this only keeps the tables small.
 */
export async function purgeExpiredSignIns(
  storage: WriteStorage,
  clock: Clock,
  throttle: LoginThrottle = new LoginThrottle(),
): Promise<{ sessions: number; failures: number }> {
  return writeTransaction(storage, async (trx) => {
    const now = clock();
    return {
      sessions: await deleteExpiredSessions(trx, null, now.toISOString()),
      failures: await throttle.purge(trx, now),
    };
  });
}

/** Ends the session with this id, if it exists (audit-logged as 'auth.logout'). */
export async function logout(
  storage: WriteStorage,
  sessionId: string,
  requestId: string | null,
  clock: Clock,
): Promise<void> {
  await writeTransaction(storage, async (trx) => {
    const userId = await deleteSession(trx, hashSecret(sessionId));
    if (userId === null) return;
    await appendAuditEvent(
      trx,
      {
        actor: { userId, requestId },
        action: 'auth.logout',
        entity: 'user',
        entityId: userId,
        fields: [],
      },
      clock,
    );
  });
}

/** The actor for a live session of an enabled user, or null. */
export async function authenticateSession(
  db: Executor,
  sessionId: string,
  requestId: string | null,
  clock: Clock,
): Promise<Actor | null> {
  const user = await findLiveSession(db, hashSecret(sessionId), clock().toISOString());
  if (!user || user.disabled_at !== null) return null;
  return {
    kind: 'user',
    userId: user.id,
    role: toRole(user.role),
    scope: await resolveUserScope(db, user),
    requestId,
  };
}

export function presentSessionUser(user: UserView): SessionUserView {
  return {
    id: user.id,
    username: user.username,
    display_name: user.display_name,
    role: user.role,
    scope: user.scope,
  };
}

/** The user the actor acts for, as the API shows them. */
export async function currentUser(db: Executor, actor: Actor): Promise<SessionUserView> {
  if (actor.userId === null) throw new UnauthorizedError();
  return presentSessionUser(await getUser(db, actor, actor.userId));
}

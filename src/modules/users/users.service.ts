/**
 * Users: create, update (role, name, scope, disabled), passwords, and the scope an actor
 * acting for a user gets. Plain functions called by the HTTP routes and by the CLI.
 * Authorization by role is the route's `config.access`; these check the rules of the data.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { minimalPaths } from '../../db/scope.js';
import type { Executor } from '../../db/transaction.js';
import { writeTransaction } from '../../db/transaction.js';
import type { Actor, Scope } from '../../domain/actor.js';
import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type FieldIssue,
} from '../../shared/errors.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { rolesWith } from '../../shared/permissions.js';
import { findPartner } from '../partners/partners.service.js';
import { isRole, type Role } from '../../shared/roles.js';
import { appendAuditEvent } from '../audit/audit.service.js';
import { deleteUserSessions } from '../auth/auth.service.js';
import { revokeTokensOfUser } from '../tokens/tokens.service.js';
import {
  findServicePointAreaPaths,
  findUserServicePoints,
} from '../service-points/service-points.service.js';
import {
  hashPassword,
  maximumPasswordLength,
  minimumPasswordLength,
  verifyPassword,
  withHashingSlot,
} from '../auth/password.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import {
  countOtherEnabledAdmins,
  findScopeAreaPaths,
  findScopeGrants,
  findScopeTargets,
  findUserById,
  findUserByUsername,
  findUsers,
  insertUser,
  isUniqueViolation,
  lockAdminChanges,
  replaceScopeGrants,
  replaceUserServicePoints,
  updateUserRow,
  type ScopeGrant,
  type UserRow,
} from './users.repository.js';

// What other modules may read of this module's tables (they never import its repository).
export { findUserById, findUserByUsername } from './users.repository.js';

type WriteStorage = Pick<Storage, 'db' | 'dialect'>;

/** What leaves the server about a user (never the password hash). */
export interface UserView {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  /** The grants as given: org unit ids and area p-codes, each with its subtree. */
  scope: string[];
  /** The service points the user works at; empty: any in scope. */
  service_points: string[];
  partner_id: string | null;
  disabled: boolean;
  created_at: string;
}

/** Roles that see every area whatever their grants. */
export const globalRoles: readonly Role[] = rolesWith('scope.global');

/** Letters, digits, dot, dash and underscore; stored and compared in lower case. */
export const usernamePattern = /^[a-z0-9][a-z0-9._-]{2,63}$/;

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  /** Org unit ids and/or area p-codes. */
  scope: string[];
  /** Service point ids the user works at (none: any in scope). */
  servicePoints?: string[];
  /** The partner the user works for (an inspector's health directorate). */
  partnerId?: string;
}

export interface UpdateUserInput {
  role?: Role;
  displayName?: string;
  scope?: string[];
  servicePoints?: string[];
  partnerId?: string | null;
  disabled?: boolean;
}

/** The role of a stored user; an unknown one is a broken invariant. */
export function toRole(value: string): Role {
  if (!isRole(value)) throw new Error(`stored user has an unknown role ${value}`);
  return value;
}

function presentUser(
  row: UserRow,
  grants: readonly ScopeGrant[],
  servicePoints: readonly { service_point_id: string }[],
): UserView {
  return {
    id: row.id,
    username: row.username,
    display_name: row.display_name,
    role: toRole(row.role),
    scope: grants.map((grant) => grant.org_unit_id ?? grant.area_pcode ?? ''),
    service_points: servicePoints.map((entry) => entry.service_point_id).sort(),
    partner_id: row.partner_id,
    disabled: row.disabled_at !== null,
    created_at: row.created_at,
  };
}

function passwordIssues(password: string, path: string): FieldIssue[] {
  if (password.length < minimumPasswordLength)
    return [
      {
        path,
        message: `must be at least ${minimumPasswordLength} characters`,
        code: 'too-short',
        params: { limit: minimumPasswordLength },
      },
    ];
  if (password.length > maximumPasswordLength)
    return [
      {
        path,
        message: `must be at most ${maximumPasswordLength} characters`,
        code: 'too-long',
        params: { limit: maximumPasswordLength },
      },
    ];
  return [];
}

function displayNameIssues(displayName: string): FieldIssue[] {
  const length = displayName.trim().length;
  return length < 1 || length > 200
    ? [{ path: '/display_name', message: 'must be 1 to 200 characters' }]
    : [];
}

/**
 * Turns scope entries into grants: each entry is an area p-code or an org unit id (a p-code
 * wins if a string is both). Unknown entries are a ValidationError naming each one.
 */
async function resolveScopeEntries(
  db: Executor,
  entries: readonly string[],
): Promise<ScopeGrant[]> {
  const unique = [...new Set(entries)];
  const { orgUnitIds, areaPcodes } = await findScopeTargets(db, unique);
  const issues: FieldIssue[] = [];
  const grants: ScopeGrant[] = [];
  unique.forEach((entry) => {
    if (areaPcodes.has(entry)) grants.push({ org_unit_id: null, area_pcode: entry });
    else if (orgUnitIds.has(entry)) grants.push({ org_unit_id: entry, area_pcode: null });
    else
      issues.push({
        path: `/scope/${entries.indexOf(entry)}`,
        message: `${entry} is neither an org unit id nor an area p-code`,
      });
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return grants;
}

/** A ValidationError naming each id that is not a known service point. */
async function checkServicePointIds(db: Executor, ids: readonly string[]): Promise<void> {
  const known = new Set((await findServicePointAreaPaths(db, ids)).map((row) => row.id));
  const issues = ids.flatMap((id, index) =>
    known.has(id)
      ? []
      : [{ path: `/service_points/${index}`, message: 'is not a known service point' }],
  );
  if (issues.length > 0) throw new ValidationError(issues);
}

/** A ValidationError when the partner id names no partner. */
async function checkPartnerId(db: Executor, partnerId: string | undefined): Promise<void> {
  if (partnerId !== undefined && !(await findPartner(db, partnerId))) {
    throw new ValidationError([{ path: '/partner_id', message: 'is not a known partner' }]);
  }
}

async function loadUserView(db: Executor, id: string): Promise<UserView> {
  const row = await findUserById(db, id);
  if (!row) throw new NotFoundError('user');
  return presentUser(row, await findScopeGrants(db, [id]), await findUserServicePoints(db, [id]));
}

/** Creates a user with a hashed password and scope grants; 409 `username-taken` if the name is used. */
export async function createUser(
  storage: WriteStorage,
  actor: Actor,
  input: CreateUserInput,
  clock: Clock = systemClock,
): Promise<UserView> {
  const username = normalizeUsername(input.username);
  const issues: FieldIssue[] = [];
  if (!usernamePattern.test(username))
    issues.push({
      path: '/username',
      message: 'must be 3 to 64 letters, digits, dots, dashes or underscores',
      code: 'username-format',
    });
  issues.push(...displayNameIssues(input.displayName));
  if (!isRole(input.role)) issues.push({ path: '/role', message: 'is not a role' });
  issues.push(...passwordIssues(input.password, '/password'));
  if (issues.length > 0) throw new ValidationError(issues);

  const grants = await resolveScopeEntries(storage.db, input.scope);
  const servicePoints = input.servicePoints ?? [];
  await checkServicePointIds(storage.db, servicePoints);
  await checkPartnerId(storage.db, input.partnerId);
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  try {
    await writeTransaction(storage, async (trx) => {
      if (await findUserByUsername(trx, username)) throw usernameTaken();
      await insertUser(trx, {
        id,
        username,
        display_name: input.displayName.trim(),
        password_hash: passwordHash,
        role: input.role,
        disabled_at: null,
        partner_id: input.partnerId ?? null,
        created_at: clock().toISOString(),
      });
      await replaceScopeGrants(trx, id, grants);
      await replaceUserServicePoints(trx, id, servicePoints);
      await appendAuditEvent(
        trx,
        {
          actor,
          action: 'user.create',
          entity: 'user',
          entityId: id,
          fields: [
            'username',
            'display_name',
            'role',
            'password',
            'scope',
            ...(servicePoints.length > 0 ? ['service_points'] : []),
            ...(input.partnerId !== undefined ? ['partner_id'] : []),
          ],
        },
        clock,
      );
    });
  } catch (error) {
    throw isUniqueViolation(error) ? usernameTaken() : error;
  }
  return loadUserView(storage.db, id);
}

function usernameTaken(): ConflictError {
  return new ConflictError('username-taken', 'This username is already in use.');
}

/** Every user, by username. */
export async function listUsers(db: Executor, _actor: Actor): Promise<UserView[]> {
  const rows = await findUsers(db);
  const ids = rows.map((row) => row.id);
  const grants = await findScopeGrants(db, ids);
  const servicePoints = await findUserServicePoints(db, ids);
  return rows.map((row) =>
    presentUser(
      row,
      grants.filter((grant) => grant.user_id === row.id),
      servicePoints.filter((entry) => entry.user_id === row.id),
    ),
  );
}

export async function getUser(db: Executor, _actor: Actor, id: string): Promise<UserView> {
  return loadUserView(db, id);
}

/**
 * Changes role, display name, scope or disabled state. Disabling ends the user's sessions and
 * revokes their tokens (enabling them again revives none). The last enabled admin cannot be
 * disabled or given another role (409 `last-admin`), even by two admins at once. Role and
 * scope are read at every request, so a change applies to the user's sessions and tokens at once.
 */
export async function updateUser(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  input: UpdateUserInput,
  clock: Clock = systemClock,
): Promise<UserView> {
  const issues: FieldIssue[] = [];
  if (input.displayName !== undefined) issues.push(...displayNameIssues(input.displayName));
  if (input.role !== undefined && !isRole(input.role))
    issues.push({ path: '/role', message: 'is not a role' });
  if (issues.length > 0) throw new ValidationError(issues);
  const grants =
    input.scope === undefined ? undefined : await resolveScopeEntries(storage.db, input.scope);
  if (input.servicePoints !== undefined)
    await checkServicePointIds(storage.db, input.servicePoints);
  await checkPartnerId(storage.db, input.partnerId ?? undefined);

  await writeTransaction(storage, async (trx) => {
    if (input.role !== undefined || input.disabled === true) await lockAdminChanges(trx);
    const user = await findUserById(trx, id);
    if (!user) throw new NotFoundError('user');
    const changes: Parameters<typeof updateUserRow>[2] = {};
    const fields: string[] = [];
    if (input.displayName !== undefined && input.displayName.trim() !== user.display_name) {
      changes.display_name = input.displayName.trim();
      fields.push('display_name');
    }
    if (input.role !== undefined && input.role !== user.role) {
      changes.role = input.role;
      fields.push('role');
    }
    if (input.partnerId !== undefined && input.partnerId !== user.partner_id) {
      changes.partner_id = input.partnerId;
      fields.push('partner_id');
    }
    const disabling = input.disabled === true && user.disabled_at === null;
    if (disabling) {
      changes.disabled_at = clock().toISOString();
      fields.push('disabled');
    } else if (input.disabled === false && user.disabled_at !== null) {
      changes.disabled_at = null;
      fields.push('disabled');
    }
    const losesAdmin =
      user.role === 'admin' &&
      user.disabled_at === null &&
      (disabling || (changes.role !== undefined && changes.role !== 'admin'));
    if (losesAdmin && (await countOtherEnabledAdmins(trx, id)) === 0) {
      throw new ConflictError(
        'last-admin',
        'This is the last enabled admin; appoint another first.',
      );
    }
    await updateUserRow(trx, id, changes);
    if (grants !== undefined) {
      await replaceScopeGrants(trx, id, grants);
      fields.push('scope');
    }
    if (input.servicePoints !== undefined) {
      await replaceUserServicePoints(trx, id, input.servicePoints);
      fields.push('service_points');
    }
    if (disabling) {
      await deleteUserSessions(trx, id);
      await revokeTokensOfUser(trx, actor, id, clock);
    }
    if (fields.length > 0) {
      await appendAuditEvent(
        trx,
        {
          actor,
          action: disabling ? 'user.disable' : 'user.update',
          entity: 'user',
          entityId: id,
          fields,
        },
        clock,
      );
    }
  });
  return loadUserView(storage.db, id);
}

/** An admin sets a user's password; every session of that user ends and every token is revoked. */
export async function setUserPassword(
  storage: WriteStorage,
  actor: Actor,
  id: string,
  password: string,
  clock: Clock = systemClock,
): Promise<void> {
  const issues = passwordIssues(password, '/password');
  if (issues.length > 0) throw new ValidationError(issues);
  if (!(await findUserById(storage.db, id))) throw new NotFoundError('user');
  const passwordHash = await hashPassword(password);
  await writeTransaction(storage, async (trx) => {
    if (!(await findUserById(trx, id))) throw new NotFoundError('user');
    await updateUserRow(trx, id, { password_hash: passwordHash });
    await deleteUserSessions(trx, id);
    await revokeTokensOfUser(trx, actor, id, clock);
    await appendAuditEvent(
      trx,
      { actor, action: 'user.password', entity: 'user', entityId: id, fields: ['password'] },
      clock,
    );
  });
}

/**
 * A user changes their own password, proving the current one (a wrong one is 400 on
 * `/current_password`). The check is limited like a sign-in (`throttle`, from `address`: 429
 * `rate-limited` past the limits, `too-many-requests` when the hashing queue is full). Every
 * other session of theirs ends and every other token is revoked; the session with
 * `keepSessionIdHash`, or the token the actor presents, stays.
 */
export async function changeOwnPassword(
  storage: WriteStorage,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  options: { throttle: LoginThrottle; address: string; keepSessionIdHash?: string | undefined },
  clock: Clock = systemClock,
): Promise<void> {
  if (actor.userId === null) throw new NotFoundError('user');
  const userId = actor.userId;
  const issues = passwordIssues(input.newPassword, '/new_password');
  if (issues.length > 0) throw new ValidationError(issues);
  const user = await findUserById(storage.db, userId);
  if (!user) throw new NotFoundError('user');
  await withHashingSlot(async () => {
    const attempt = await options.throttle.begin(storage, user.username, options.address, clock());
    try {
      if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
        throw new ValidationError([
          { path: '/current_password', message: 'is not your current password' },
        ]);
      }
      const passwordHash = await hashPassword(input.newPassword);
      await writeTransaction(storage, async (trx) => {
        await options.throttle.succeeded(trx, attempt);
        await updateUserRow(trx, userId, { password_hash: passwordHash });
        await deleteUserSessions(trx, userId, options.keepSessionIdHash);
        await revokeTokensOfUser(trx, actor, userId, clock, actor.tokenId);
        await appendAuditEvent(
          trx,
          {
            actor,
            action: 'user.password',
            entity: 'user',
            entityId: userId,
            fields: ['password'],
          },
          clock,
        );
      });
    } finally {
      attempt.release();
    }
  });
}

/**
 * The scope of an actor acting for this user: `all` for admin and auditor; otherwise the
 * area paths their grants cover (an empty list, which sees nothing, when they have none).
 */
export async function resolveUserScope(
  db: Executor,
  user: { id: string; role: string },
): Promise<Scope> {
  if ((globalRoles as readonly string[]).includes(user.role)) return { kind: 'all' };
  return { kind: 'areas', paths: minimalPaths(await findScopeAreaPaths(db, user.id)) };
}

import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, createTestUser, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { seedScopeFixture } from '../../../test/helpers/scope-fixture.js';
import { systemActor } from '../../domain/actor.js';
import type { AwnApp } from '../../server/types.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import { createUser, resolveUserScope, updateUser } from './users.service.js';

describeEachDialect('users', (storage) => {
  let app: AwnApp;
  let admin: SignedIn;
  beforeAll(async () => {
    await seedScopeFixture(storage());
    app = await buildTestApp(storage());
    admin = await loginAs(app, storage(), 'admin');
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates a user with area and org unit grants, and resolves their scope to area paths', async () => {
    const user = await createUser(storage(), systemActor, {
      username: 'Registrar.One',
      displayName: ' سلمى ',
      role: 'registrar',
      password: 'long enough password',
      scope: ['TA01', 'fixture-branch'],
    });
    expect(user).toMatchObject({
      username: 'registrar.one',
      display_name: 'سلمى',
      role: 'registrar',
      scope: expect.arrayContaining(['TA01', 'fixture-branch']),
      disabled: false,
    });
    // The branch covers TB, and through its section TA0101 (already inside TA01).
    expect(await resolveUserScope(storage().db, user)).toEqual({
      kind: 'areas',
      paths: ['/TA/TA01/', '/TB/'],
    });
    const stored = await storage()
      .db.selectFrom('users')
      .select('password_hash')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    const event = await storage()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(event.action).toBe('user.create');
    expect(event.fields_json).not.toContain('registrar.one');
    expect(event.fields_json).not.toContain('long enough password');
  });

  it('gives admins and auditors every area, and others without grants none', async () => {
    const auditor = await createTestUser(storage(), { role: 'auditor', scope: ['TB'] });
    expect(await resolveUserScope(storage().db, auditor.user)).toEqual({ kind: 'all' });
    const volunteer = await createTestUser(storage(), { role: 'volunteer' });
    expect(await resolveUserScope(storage().db, volunteer.user)).toEqual({
      kind: 'areas',
      paths: [],
    });
    const section = await createTestUser(storage(), {
      role: 'team_leader',
      scope: ['fixture-section'],
    });
    expect(await resolveUserScope(storage().db, section.user)).toEqual({
      kind: 'areas',
      paths: ['/TA/TA01/TA0101/'],
    });
  });

  it('refuses unknown scope entries, bad fields and a taken username', async () => {
    const input = {
      username: 'someone',
      displayName: 'Someone',
      role: 'volunteer' as const,
      password: 'long enough password',
      scope: ['TA', 'NOWHERE'],
    };
    await expect(createUser(storage(), systemActor, input)).rejects.toMatchObject({
      issues: [{ path: '/scope/1', message: expect.stringContaining('NOWHERE') }],
    });
    await expect(
      createUser(storage(), systemActor, { ...input, username: 'x', password: 'short', scope: [] }),
    ).rejects.toBeInstanceOf(ValidationError);
    await createUser(storage(), systemActor, { ...input, scope: [] });
    await expect(
      createUser(storage(), systemActor, { ...input, username: 'SOMEONE', scope: [] }),
    ).rejects.toMatchObject({
      code: 'username-taken',
    });
  });

  it('keeps at least one enabled admin', async () => {
    const admins = await storage()
      .db.selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .execute();
    for (const { id } of admins.slice(1)) {
      await updateUser(storage(), systemActor, id, { disabled: true });
    }
    const last = admins[0]!.id;
    await expect(
      updateUser(storage(), systemActor, last, { role: 'volunteer' }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      updateUser(storage(), systemActor, last, { disabled: true }),
    ).rejects.toMatchObject({ code: 'last-admin' });
    for (const { id } of admins.slice(1)) {
      await updateUser(storage(), systemActor, id, { disabled: false });
    }
  });

  it('keeps one enabled admin when two admins disable or demote each other at once', async () => {
    const enabledAdmins = await storage()
      .db.selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .execute();
    // Leave exactly two enabled admins, then let each take the other's role away concurrently.
    const [first, second] = [
      await createUser(storage(), systemActor, {
        username: 'admin-one',
        displayName: 'One',
        role: 'admin',
        password: 'long enough password',
        scope: [],
      }),
      await createUser(storage(), systemActor, {
        username: 'admin-two',
        displayName: 'Two',
        role: 'admin',
        password: 'long enough password',
        scope: [],
      }),
    ];
    for (const { id } of enabledAdmins) {
      await updateUser(storage(), systemActor, id, { disabled: true });
    }
    // Several rounds: the two transactions must overlap at least once to show a race.
    for (let round = 0; round < 5; round += 1) {
      const outcomes = await Promise.allSettled([
        updateUser(storage(), systemActor, first.id, { disabled: true }),
        updateUser(storage(), systemActor, second.id, { role: 'coordinator' }),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
        reason: { code: 'last-admin' },
      });
      const left = await storage()
        .db.selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .execute();
      expect(left).toHaveLength(1);
      for (const { id } of [first, second]) {
        await updateUser(storage(), systemActor, id, { disabled: false, role: 'admin' });
      }
    }
    for (const { id } of [...enabledAdmins, first, second]) {
      await updateUser(storage(), systemActor, id, { disabled: false, role: 'admin' });
    }
    // Disabling ended the suite admin's session.
    admin = await loginAs(app, storage(), 'admin');
  });

  it('serves the users API to admins', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: {
        username: 'clerk-7',
        display_name: 'Clerk',
        role: 'outlet_clerk',
        password: 'long enough password',
        scope: ['TB'],
      },
    });
    expect(created.statusCode).toBe(201);
    const clerk = created.json<{ id: string }>();
    expect(created.json()).toMatchObject({
      username: 'clerk-7',
      role: 'outlet_clerk',
      scope: ['TB'],
    });
    expect(created.body).not.toContain('scrypt');

    const duplicate = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: {
        username: 'clerk-7',
        display_name: 'C',
        role: 'outlet_clerk',
        password: 'long enough password',
      },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'username-taken' });

    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin.headers,
      payload: {
        username: 'c',
        display_name: 'C',
        role: 'chief',
        password: 'short',
        scope: ['NOWHERE'],
        extra: 1,
      },
    });
    expect(invalid.statusCode).toBe(400);
    const paths = invalid.json<{ errors: { path: string }[] }>().errors.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['body/role', 'body/password', 'body/extra']));

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${clerk.id}`,
      headers: admin.headers,
      payload: { role: 'registrar', scope: ['TA', 'fixture-other'], display_name: 'Registrar' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      role: 'registrar',
      display_name: 'Registrar',
      scope: expect.arrayContaining(['TA', 'fixture-other']),
    });

    const list = await app.inject({ method: 'GET', url: '/api/v1/users', headers: admin.headers });
    expect(list.json<{ items: { id: string }[] }>().items.map((user) => user.id)).toContain(
      clerk.id,
    );
    const missing = await app.inject({
      method: 'PATCH',
      url: '/api/v1/users/nobody',
      headers: admin.headers,
      payload: {},
    });
    expect(missing.statusCode).toBe(404);
  });

  it("lets an admin set a user's password, ending that user's sessions", async () => {
    const target = await loginAs(app, storage(), 'storekeeper');
    const answer = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${target.user.id}/password`,
      headers: admin.headers,
      payload: { password: 'brand new password' },
    });
    expect(answer.statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: target.cookie } }))
        .statusCode,
    ).toBe(401);
    const relogin = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: target.user.username, password: 'brand new password' },
    });
    expect(relogin.statusCode).toBe(200);
  });
});

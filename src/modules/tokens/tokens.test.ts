import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import type { AwnApp } from '../../server/types.js';

describeEachDialect('device and integration tokens', (storage) => {
  let app: AwnApp;
  let admin: SignedIn;
  beforeAll(async () => {
    app = await buildTestApp(storage());
    admin = await loginAs(app, storage(), 'admin');
  });
  afterAll(async () => {
    await app.close();
  });

  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  it('issues a token once, lists it without its secret, acts as its user, and stops at revocation', async () => {
    const leader = await loginAs(app, storage(), 'team_leader');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: leader.headers,
      payload: { kind: 'device', name: 'Field phone 3' },
    });
    expect(created.statusCode).toBe(201);
    const token = created.json<{ id: string; token: string; user_id: string; kind: string }>();
    expect(token.token).toMatch(/^awn_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ user_id: leader.user.id, kind: 'device', revoked_at: null });
    const stored = await storage()
      .db.selectFrom('tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token.token);

    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: leader.headers,
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(token.token);
    expect(list.json<{ items: { id: string }[] }>().items.map((item) => item.id)).toEqual([
      token.id,
    ]);

    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token.token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: leader.user.id, role: 'team_leader' } });
    // The token has the role of its user: not an admin's.
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(token.token) }))
        .statusCode,
    ).toBe(403);

    // Bearer writes need no Origin (the CSRF rule is for cookies).
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${token.id}`,
      headers: bearer(token.token),
    });
    expect(revoked.statusCode).toBe(204);
    const after = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: bearer(token.token),
    });
    expect(after.statusCode).toBe(401);
    const actions = await storage()
      .db.selectFrom('audit_events')
      .select(['action', 'actor_id', 'token_id'])
      .where('entity_id', '=', token.id)
      .orderBy('seq')
      .execute();
    // Made with a session, then with the token itself: the audit names the token too.
    expect(actions).toEqual([
      { action: 'token.create', actor_id: leader.user.id, token_id: null },
      { action: 'token.revoke', actor_id: leader.user.id, token_id: token.id },
    ]);
    const listed = await app.inject({
      method: 'GET',
      url: `/api/v1/audit-events?entity_id=${token.id}`,
      headers: admin.headers,
    });
    expect(listed.json<{ items: { token_id: string | null }[] }>().items[0]?.token_id).toBe(
      token.id,
    );
    // The token id is in the hash chain: the log still verifies, and changing it is caught.
    const verify = () =>
      app.inject({ method: 'POST', url: '/api/v1/audit-events/verify', headers: admin.headers });
    expect((await verify()).json()).toMatchObject({ ok: true });
    await storage()
      .db.updateTable('audit_events')
      .set({ token_id: 'another-token' })
      .where('entity_id', '=', token.id)
      .where('action', '=', 'token.revoke')
      .execute();
    expect((await verify()).json()).toMatchObject({
      ok: false,
      first_bad: { reason: 'hash-mismatch' },
    });
    await storage()
      .db.updateTable('audit_events')
      .set({ token_id: token.id })
      .where('entity_id', '=', token.id)
      .where('action', '=', 'token.revoke')
      .execute();
    expect((await verify()).json()).toMatchObject({ ok: true });
  });

  it('lets only admins issue integration tokens or tokens for others, and never a token', async () => {
    const volunteer = await loginAs(app, storage(), 'volunteer');
    const issue = (headers: Record<string, string>, payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload });
    expect((await issue(volunteer.headers, { kind: 'integration', name: 'x' })).statusCode).toBe(
      403,
    );
    expect(
      (await issue(volunteer.headers, { kind: 'device', name: 'x', user_id: admin.user.id }))
        .statusCode,
    ).toBe(403);
    const forVolunteer = await issue(admin.headers, {
      kind: 'integration',
      name: 'Partner feed',
      user_id: volunteer.user.id,
    });
    expect(forVolunteer.statusCode).toBe(201);
    const secret = forVolunteer.json<{ token: string }>().token;
    expect((await issue(bearer(secret), { kind: 'device', name: 'y' })).statusCode).toBe(403);
    expect(
      (await issue(admin.headers, { kind: 'device', name: 'z', user_id: 'nobody' })).statusCode,
    ).toBe(400);

    // Someone else's token is not found; an admin may revoke it.
    const id = forVolunteer.json<{ id: string }>().id;
    const other = await loginAs(app, storage(), 'volunteer');
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: other.headers }))
        .statusCode,
    ).toBe(404);
    const all = await app.inject({
      method: 'GET',
      url: `/api/v1/tokens?user_id=${volunteer.user.id}`,
      headers: admin.headers,
    });
    expect(all.json<{ items: { id: string }[] }>().items.map((item) => item.id)).toContain(id);
  });

  it('revokes the tokens of a user who is disabled: enabling them again revives none', async () => {
    const clerk = await loginAs(app, storage(), 'outlet_clerk');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: clerk.headers,
      payload: { kind: 'device', name: 'Counter' },
    });
    const secret = created.json<{ token: string }>().token;
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(secret) })).statusCode,
    ).toBe(200);
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${clerk.user.id}`,
      headers: admin.headers,
      payload: { disabled: true },
    });
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(secret) })).statusCode,
    ).toBe(401);
    const enabled = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${clerk.user.id}`,
      headers: admin.headers,
      payload: { disabled: false },
    });
    expect(enabled.statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(secret) })).statusCode,
    ).toBe(401);
    const tokens = await app.inject({
      method: 'GET',
      url: `/api/v1/tokens?user_id=${clerk.user.id}`,
      headers: admin.headers,
    });
    expect(tokens.json<{ items: { revoked_at: string | null }[] }>().items).toEqual([
      expect.objectContaining({ revoked_at: expect.any(String) }),
    ]);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer('awn_forged') }))
        .statusCode,
    ).toBe(401);
  });
});

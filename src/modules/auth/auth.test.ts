import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestUser, loginAs, testOrigin } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { buildApp, type AwnApp } from '../../server/app.js';
import { writeTransaction } from '../../db/transaction.js';
import { purgeExpiredSignIns } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './password.js';

describe('passwords', () => {
  it('hash with scrypt in the documented encoding and verify in constant time', async () => {
    const encoded = await hashPassword('correct horse battery');
    expect(encoded).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    expect(await verifyPassword('correct horse battery', encoded)).toBe(true);
    expect(await verifyPassword('correct horse batterY', encoded)).toBe(false);
    expect(await verifyPassword('x', 'scrypt$3$8$1$AAAA$BBBB')).toBe(false);
    expect(await verifyPassword('x', 'not a hash')).toBe(false);
    expect(encoded).not.toBe(await hashPassword('correct horse battery'));
  });
});

describeEachDialect('the login throttle', (storage) => {
  const at = (ms: number) => new Date(Date.UTC(2026, 11, 7) + ms);
  const fail = (throttle: LoginThrottle, username: string, address: string, ms: number) =>
    writeTransaction(storage(), (trx) => throttle.recordFailure(trx, username, address, at(ms)));

  it('blocks after 5 failures per username or 20 per address, for the rest of the window', async () => {
    // Two throttles on one database: two processes count the same attempts.
    const [one, other] = [new LoginThrottle(), new LoginThrottle()];
    const db = storage().db;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await other.retryAfterSeconds(db, 'amal', '10.0.0.1', at(attempt))).toBe(0);
      await fail(attempt % 2 ? one : other, 'amal', '10.0.0.1', attempt);
    }
    expect(await one.retryAfterSeconds(db, 'amal', '10.0.0.2', at(10))).toBe(900);
    expect(await one.retryAfterSeconds(db, 'amal', '10.0.0.2', at(15 * 60 * 1000))).toBe(0);
    expect(await one.retryAfterSeconds(db, 'basel', '10.0.0.1', at(10))).toBe(0);
    for (let user = 0; user < 15; user += 1) await fail(one, `user${user}`, '10.0.0.1', 0);
    expect(await other.retryAfterSeconds(db, 'basel', '10.0.0.1', at(10))).toBeGreaterThan(0);

    // Neither the username nor the address is stored.
    const keys = await db.selectFrom('login_failures').select('key_hash').execute();
    expect(keys.some(({ key_hash }) => /amal|10\.0\.0/.test(key_hash))).toBe(false);

    await writeTransaction(storage(), (trx) => one.recordSuccess(trx, 'amal'));
    expect(await one.retryAfterSeconds(db, 'amal', '10.0.0.2', at(10))).toBe(0);
  });

  it('purges failures that left the window and expired sessions', async () => {
    const throttle = new LoginThrottle();
    await fail(throttle, 'old', '10.9.0.1', -20 * 60 * 1000);
    await fail(throttle, 'new', '10.9.0.2', 0);
    const { user } = await createTestUser(storage(), { role: 'registrar' });
    await storage()
      .db.insertInto('sessions')
      .values([
        {
          id_hash: 'expired',
          user_id: user.id,
          created_at: at(-1).toISOString(),
          expires_at: at(-1).toISOString(),
        },
        {
          id_hash: 'live',
          user_id: user.id,
          created_at: at(-1).toISOString(),
          expires_at: at(60_000).toISOString(),
        },
      ])
      .execute();
    const purged = await purgeExpiredSignIns(storage(), () => at(0), throttle);
    expect(purged.sessions).toBeGreaterThanOrEqual(1);
    expect(purged.failures).toBeGreaterThanOrEqual(2);
    const sessions = await storage().db.selectFrom('sessions').select('id_hash').execute();
    expect(sessions.map((row) => row.id_hash)).toContain('live');
    expect(sessions.map((row) => row.id_hash)).not.toContain('expired');
    const left = await storage().db.selectFrom('login_failures').select('failed_at').execute();
    const windowStart = at(-15 * 60 * 1000).toISOString();
    expect(left.map((row) => row.failed_at)).toContain(at(0).toISOString());
    expect(left.every((row) => row.failed_at > windowStart)).toBe(true);
  });
});

function sessionCookie(response: { cookies: { name: string; value: string }[] }): string {
  const cookie = response.cookies.find((candidate) => candidate.name === 'awn_session');
  if (!cookie) throw new Error('no session cookie');
  return `awn_session=${cookie.value}`;
}

describeEachDialect('sign-in and sessions', (storage) => {
  let now = new Date('2026-11-29T08:00:00.000Z');
  let app: AwnApp;
  beforeAll(async () => {
    app = await buildTestApp(storage(), { clock: () => now });
  });
  afterAll(async () => {
    await app.close();
  });

  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password },
      headers,
    });
  const me = (cookie: string) =>
    app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });

  it('signs in with a session cookie (HttpOnly, SameSite=Lax, Path=/) and answers the user', async () => {
    const { user, password } = await createTestUser(storage(), { role: 'registrar', scope: [] });
    const response = await login(user.username.toUpperCase(), password);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      user: {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: 'registrar',
        scope: [],
      },
    });
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/^awn_session=[A-Za-z0-9_-]{43};/);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Lax');
    expect(header).toContain('Path=/');
    expect(header).toContain('Max-Age=43200');
    expect(header).not.toContain('Secure');
    const stored = await storage()
      .db.selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(header).not.toContain(stored[0]?.id_hash);

    const answer = await me(sessionCookie(response));
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ user: response.json<{ user: unknown }>().user, demo: false });
  });

  it('marks the cookie Secure behind TLS', async () => {
    const secure = await buildApp({ storage: storage(), logger: false, secureCookies: true });
    try {
      const { user, password } = await createTestUser(storage(), { role: 'volunteer' });
      const response = await secure.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: user.username, password },
      });
      expect(String(response.headers['set-cookie'])).toContain('Secure');
    } finally {
      await secure.close();
    }
  });

  it('answers the same 401 problem for a wrong password, an unknown user and a disabled user', async () => {
    const { user, password } = await createTestUser(storage(), { role: 'volunteer' });
    const disabled = await createTestUser(storage(), { role: 'volunteer' });
    await storage()
      .db.updateTable('users')
      .set({ disabled_at: now.toISOString() })
      .where('id', '=', disabled.user.id)
      .execute();
    const answers = [
      await login(user.username, `${password}x`),
      await login('nobody-here', password),
      await login(disabled.user.username, disabled.password),
    ];
    for (const answer of answers) {
      expect(answer.statusCode).toBe(401);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.json()).toMatchObject({ status: 401, code: 'invalid-credentials' });
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
    const failures = await storage()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'auth.login_failed')
      .execute();
    expect(failures.length).toBeGreaterThanOrEqual(3);
    for (const failure of failures) {
      expect(JSON.stringify(failure)).not.toContain(user.username);
      expect(JSON.stringify(failure)).not.toContain('nobody-here');
    }
  });

  it('throttles repeated failures with 429 and Retry-After, even for the right password', async () => {
    const { user, password } = await createTestUser(storage(), { role: 'volunteer' });
    const address = { 'x-forwarded-for': 'ignored' };
    for (let attempt = 0; attempt < 4; attempt += 1) {
      expect((await login(user.username, 'wrong password', address)).statusCode).toBe(401);
    }
    // A success clears the username's count.
    expect((await login(user.username, password)).statusCode).toBe(200);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await login(user.username, 'wrong password')).statusCode).toBe(401);
    }
    const blocked = await login(user.username, password);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['content-type']).toContain('application/problem+json');
    expect(blocked.json()).toMatchObject({ code: 'rate-limited' });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    now = new Date(now.getTime() + 15 * 60 * 1000);
    expect((await login(user.username, password)).statusCode).toBe(200);
  });

  it('makes a new session id at every sign-in and ends the presented one', async () => {
    const { user, password } = await createTestUser(storage(), { role: 'storekeeper' });
    const first = sessionCookie(await login(user.username, password));
    const second = sessionCookie(await login(user.username, password));
    expect(second).not.toBe(first);
    expect((await me(first)).statusCode).toBe(200);
    const third = sessionCookie(
      await login(user.username, password, { cookie: first, origin: testOrigin }),
    );
    expect(third).not.toBe(first);
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(third)).statusCode).toBe(200);
  });

  it('ends the session at logout and clears the cookie', async () => {
    const signedIn = await loginAs(app, storage(), 'inspector');
    const logout = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: signedIn.headers,
    });
    expect(logout.statusCode).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(
      /^awn_session=;.*Expires=Thu, 01 Jan 1970/,
    );
    const answer = await me(signedIn.cookie);
    expect(answer.statusCode).toBe(401);
    expect(answer.json()).toMatchObject({ code: 'unauthenticated' });
    const events = await storage()
      .db.selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', signedIn.user.id)
      .orderBy('seq')
      .execute();
    expect(events.map((event) => event.action)).toEqual([
      'user.create',
      'auth.login',
      'auth.logout',
    ]);
  });

  it('expires a session 12 hours after sign-in', async () => {
    const signedIn = await loginAs(app, storage(), 'volunteer');
    now = new Date(now.getTime() + 12 * 60 * 60 * 1000 - 1000);
    expect((await me(signedIn.cookie)).statusCode).toBe(200);
    now = new Date(now.getTime() + 1000);
    expect((await me(signedIn.cookie)).statusCode).toBe(401);
  });

  it('ends the sessions of a user who is disabled', async () => {
    const admin = await loginAs(app, storage(), 'admin');
    const volunteer = await loginAs(app, storage(), 'volunteer');
    expect((await me(volunteer.cookie)).statusCode).toBe(200);
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${volunteer.user.id}`,
      headers: admin.headers,
      payload: { disabled: true },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({ disabled: true });
    expect((await me(volunteer.cookie)).statusCode).toBe(401);
    expect(
      await storage()
        .db.selectFrom('sessions')
        .select('id_hash')
        .where('user_id', '=', volunteer.user.id)
        .execute(),
    ).toEqual([]);
    expect((await login(volunteer.user.username, volunteer.password)).statusCode).toBe(401);
  });

  it('rejects cookie writes from another origin (CSRF) and accepts same-origin ones', async () => {
    const volunteer = await loginAs(app, storage(), 'volunteer');
    const write = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie: volunteer.cookie, ...headers },
        payload: { kind: 'device', name: 'phone' },
      });
    expect((await write({ origin: testOrigin })).statusCode).toBe(201);
    expect((await write({ referer: `${testOrigin}/office/households` })).statusCode).toBe(201);
    const crossSite: Record<string, string>[] = [
      {},
      { origin: 'https://evil.example' },
      { origin: 'http://localhost:8080' },
      { origin: 'null' },
      { referer: 'https://evil.example/localhost:80' },
    ];
    for (const headers of crossSite) {
      const answer = await write(headers);
      expect(answer.statusCode).toBe(403);
      expect(answer.json()).toMatchObject({ code: 'csrf-rejected' });
    }
    // A real server: Origin http://<host:port> equals Host.
    const listening = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: {
        cookie: volunteer.cookie,
        host: '127.0.0.1:8080',
        origin: 'http://127.0.0.1:8080',
      },
      payload: { kind: 'device', name: 'tablet' },
    });
    expect(listening.statusCode).toBe(201);
    // A page elsewhere cannot sign anyone in either; a script without Origin can.
    const foreignLogin = await login(volunteer.user.username, volunteer.password, {
      origin: 'https://evil.example',
    });
    expect(foreignLogin.statusCode).toBe(403);
    expect(foreignLogin.json()).toMatchObject({ code: 'csrf-rejected' });
    // Reads need no Origin.
    expect((await me(volunteer.cookie)).statusCode).toBe(200);
  });

  it('rejects unknown fields with the path of each', async () => {
    const answer = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'a', password: 'b', remember: true },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({
      code: 'validation-failed',
      errors: [{ path: 'body/remember', message: 'is not a known field' }],
    });
  });

  it('lets users change their own password, ending their other sessions', async () => {
    const signedIn = await loginAs(app, storage(), 'coordinator');
    const other = sessionCookie(await login(signedIn.user.username, signedIn.password));
    const change = (payload: object) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: signedIn.headers,
        payload,
      });
    const wrong = await change({
      current_password: 'not my password',
      new_password: 'a new password 1',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ errors: [{ path: '/current_password' }] });
    const short = await change({ current_password: signedIn.password, new_password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(
      (await change({ current_password: signedIn.password, new_password: 'a new password 1' }))
        .statusCode,
    ).toBe(204);
    expect((await me(signedIn.cookie)).statusCode).toBe(200);
    expect((await me(other)).statusCode).toBe(401);
    expect((await login(signedIn.user.username, signedIn.password)).statusCode).toBe(401);
    expect((await login(signedIn.user.username, 'a new password 1')).statusCode).toBe(200);
  });

  it('answers 401 without a session and ignores a forged cookie', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await me('awn_session=forged')).statusCode).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestUser, loginAs, testOrigin } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { buildApp, type AwnApp } from '../../server/app.js';
import { purgeExpiredSignIns } from './auth.service.js';
import { RateLimitedError } from '../../shared/errors.js';
import { addressScope, defaultThrottleLimits, LoginThrottle } from './login-throttle.js';
import { HashingBusyError, hashPassword, PasswordHasher, verifyPassword } from './password.js';

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

  it('hash on threads of their own, refusing at once past threads + queue', async () => {
    const hasher = new PasswordHasher({ threads: 1, queue: 1 });
    const job = { password: 'x', salt: Buffer.alloc(16), length: 16, N: 2 ** 14, r: 8, p: 1 };
    let release = () => undefined as void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    const holding = [hasher.withSlot(() => blocker), hasher.withSlot(() => hasher.derive(job))];
    await expect(hasher.withSlot(() => hasher.derive(job))).rejects.toBeInstanceOf(
      HashingBusyError,
    );
    expect(hasher.load).toBe(2);
    release();
    await Promise.all(holding);
    expect((await hasher.withSlot(() => hasher.derive(job))).length).toBe(16);
    await hasher.close();
  });

  it('throttle IPv6 clients by their /64', () => {
    expect(addressScope('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(addressScope('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(addressScope('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressScope('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(addressScope('10.0.0.1')).toBe('10.0.0.1');
  });
});

describeEachDialect('the login throttle', (storage) => {
  const at = (ms: number) => new Date(Date.UTC(2026, 11, 7) + ms);
  const limits = {
    ...defaultThrottleLimits,
    concurrentPerAccount: 1000,
    concurrentPerAddress: 1000,
  };
  /** Begins an attempt and leaves it counted as a failure; answers 0 or the Retry-After. */
  const attempt = async (
    throttle: LoginThrottle,
    username: string,
    address: string,
    ms: number,
  ) => {
    try {
      (await throttle.begin(storage(), username, address, at(ms))).release();
      return 0;
    } catch (error) {
      if (error instanceof RateLimitedError) return error.retryAfterSeconds;
      throw error;
    }
  };

  it('refuses an address after 20 failures in 15 minutes, on any accounts, shared by processes', async () => {
    // Two throttles on one database: two processes count the same attempts.
    const [one, other] = [new LoginThrottle(limits), new LoginThrottle(limits)];
    for (let index = 0; index < 20; index += 1) {
      expect(await attempt(index % 2 ? one : other, `user${index}`, '10.0.0.1', index)).toBe(0);
    }
    expect(await attempt(one, 'someone-else', '10.0.0.1', 100)).toBe(900);
    expect(await attempt(other, 'someone-else', '10.0.0.2', 100)).toBe(0);
    expect(await attempt(one, 'someone-else', '10.0.0.1', 15 * 60 * 1000)).toBe(0);

    // Neither the username nor the address is stored.
    const keys = await storage().db.selectFrom('login_failures').select('key_hash').execute();
    expect(keys.some(({ key_hash }) => /user|10\.0\.0/.test(key_hash))).toBe(false);
  });

  it('slows an account after 5 failures for addresses that failed, never for a clean one', async () => {
    const throttle = new LoginThrottle(limits);
    for (let index = 0; index < 5; index += 1) {
      expect(await attempt(throttle, 'amal', '10.1.0.1', index)).toBe(0);
    }
    // The attacker's address waits 1 s, then 2 s after the next failure, ... at most 60 s.
    expect(await attempt(throttle, 'amal', '10.1.0.1', 10)).toBe(1);
    expect(await attempt(throttle, 'amal', '10.1.0.1', 1010)).toBe(0);
    expect(await attempt(throttle, 'amal', '10.1.0.1', 1020)).toBe(2);
    // A clean address is not slowed (its own failure then makes it wait too).
    expect(await attempt(throttle, 'amal', '10.1.0.2', 1030)).toBe(0);
    expect(await attempt(throttle, 'amal', '10.1.0.2', 1040)).toBe(4);
    // Another account from the attacker's address is not slowed by amal's count.
    expect(await attempt(throttle, 'basel', '10.1.0.1', 1050)).toBe(0);
  });

  it('counts parallel attempts before any is checked: 100 at once from one address, 20 pass', async () => {
    const throttle = new LoginThrottle(limits);
    const waits = await Promise.all(
      Array.from({ length: 100 }, (_, index) =>
        attempt(index % 2 ? throttle : new LoginThrottle(limits), `p${index}`, '10.2.0.1', 0),
      ),
    );
    expect(waits.filter((wait) => wait === 0)).toHaveLength(20);
  });

  it('caps attempts in flight per account and per address in a process', async () => {
    const throttle = new LoginThrottle({ ...defaultThrottleLimits });
    const held = [
      await throttle.begin(storage(), 'held', '10.3.0.1', at(0)),
      await throttle.begin(storage(), 'held', '10.3.0.2', at(0)),
    ];
    await expect(throttle.begin(storage(), 'held', '10.3.0.3', at(0))).rejects.toMatchObject({
      code: 'rate-limited',
      retryAfterSeconds: 1,
    });
    held[0]?.release();
    const next = await throttle.begin(storage(), 'held', '10.3.0.3', at(0));
    next.release();
    held[1]?.release();
  });

  it('purges failures that left the window and expired sessions', async () => {
    const throttle = new LoginThrottle(limits);
    await attempt(throttle, 'old', '10.9.0.1', -20 * 60 * 1000);
    await attempt(throttle, 'new', '10.9.0.2', 0);
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
    // Behind a proxy on this host: X-Forwarded-For names the client (each test its own).
    app = await buildTestApp(storage(), { clock: () => now, trustedProxies: ['127.0.0.1'] });
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

  it('locks nobody out: wrong passwords slow the account, the right one from a clean address signs in', async () => {
    const { user, password } = await createTestUser(storage(), { role: 'admin' });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 30; attempt += 1) {
      statuses.push((await login(user.username, 'wrong password', from('10.7.0.1'))).statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
    const slowed = await login(user.username, password, from('10.7.0.1'));
    expect(slowed.statusCode).toBe(429);
    expect(slowed.headers['content-type']).toContain('application/problem+json');
    expect(slowed.json()).toMatchObject({ code: 'rate-limited' });
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, from an address without failures, signs in at once.
    expect((await login(user.username, password, from('10.7.0.2'))).statusCode).toBe(200);
    // And that success clears the account's count: the first address is no longer slowed.
    expect((await login(user.username, password, from('10.7.0.1'))).statusCode).toBe(200);
  });

  it('refuses an address after 20 failures whatever the accounts, until they leave the window', async () => {
    const { user, password } = await createTestUser(storage(), { role: 'volunteer' });
    const from = { 'x-forwarded-for': '10.8.0.1' };
    for (let attempt = 0; attempt < 20; attempt += 1) {
      expect((await login(`nobody-${attempt}`, 'wrong password', from)).statusCode).toBe(401);
    }
    const refused = await login(user.username, password, from);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBe(900);
    now = new Date(now.getTime() + 15 * 60 * 1000);
    expect((await login(user.username, password, from)).statusCode).toBe(200);
  });

  it('counts parallel guesses before hashing: 100 at once against one account get 20 checks', async () => {
    const wide = await buildTestApp(storage(), {
      clock: () => now,
      trustedProxies: ['127.0.0.1'],
      throttleLimits: {
        ...defaultThrottleLimits,
        concurrentPerAccount: 1000,
        concurrentPerAddress: 1000,
      },
    });
    try {
      const { user, password } = await createTestUser(storage(), { role: 'volunteer' });
      const answers = await Promise.all(
        Array.from({ length: 100 }, () =>
          wide.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: user.username, password: 'wrong password' },
            headers: { 'x-forwarded-for': '10.9.1.1' },
          }),
        ),
      );
      const statuses = answers.map((answer) => answer.statusCode);
      // Five failures, then the address is slowed on this account: nothing else is checked.
      expect(statuses.filter((status) => status === 401)).toHaveLength(5);
      expect(statuses.filter((status) => status === 429)).toHaveLength(95);
      // Even had the guess been right, the address is refused; a clean one is not.
      const right = (address: string) =>
        wide.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: user.username, password },
          headers: { 'x-forwarded-for': address },
        });
      expect((await right('10.9.1.1')).statusCode).toBe(429);
      expect((await right('10.9.1.2')).statusCode).toBe(200);
    } finally {
      await wide.close();
    }
  });

  it('checks at most 2 passwords of one account at once, refusing the rest with 429', async () => {
    const { user } = await createTestUser(storage(), { role: 'volunteer' });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        login(user.username, 'wrong password', { 'x-forwarded-for': `10.10.0.${index + 1}` }),
      ),
    );
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses).toEqual([401, 401, 429, 429, 429, 429, 429, 429, 429, 429]);
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

  const issueToken = async (headers: Record<string, string>) => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers,
      payload: { kind: 'device', name: 'phone' },
    });
    expect(created.statusCode).toBe(201);
    return created.json<{ id: string; token: string }>();
  };
  const bearer = (token: { token: string }) => ({ authorization: `Bearer ${token.token}` });

  it('lets users change their own password, ending their other sessions and tokens', async () => {
    const signedIn = await loginAs(app, storage(), 'coordinator');
    const other = sessionCookie(await login(signedIn.user.username, signedIn.password));
    const token = await issueToken(signedIn.headers);
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
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).statusCode,
    ).toBe(401);
    expect((await login(signedIn.user.username, signedIn.password)).statusCode).toBe(401);
    expect((await login(signedIn.user.username, 'a new password 1')).statusCode).toBe(200);
  });

  it('changing the password with a token keeps that token and ends every session and other token', async () => {
    const signedIn = await loginAs(app, storage(), 'team_leader');
    const [kept, other] = [await issueToken(signedIn.headers), await issueToken(signedIn.headers)];
    const changed = await app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: bearer(kept),
      payload: { current_password: signedIn.password, new_password: 'another password 2' },
    });
    expect(changed.statusCode).toBe(204);
    const meWith = (headers: Record<string, string>) =>
      app.inject({ method: 'GET', url: '/api/v1/me', headers });
    expect((await meWith(bearer(kept))).statusCode).toBe(200);
    expect((await meWith(bearer(other))).statusCode).toBe(401);
    expect((await me(signedIn.cookie)).statusCode).toBe(401);
    // The change and each revocation are audited with the token that made them.
    const events = await storage()
      .db.selectFrom('audit_events')
      .select(['action', 'entity_id', 'token_id', 'actor_id'])
      .where('request_id', '=', String(changed.headers['x-request-id']))
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      {
        action: 'token.revoke',
        entity_id: other.id,
        token_id: kept.id,
        actor_id: signedIn.user.id,
      },
      {
        action: 'user.password',
        entity_id: signedIn.user.id,
        token_id: kept.id,
        actor_id: signedIn.user.id,
      },
    ]);
  });

  it('throttles the current-password check like a sign-in', async () => {
    const signedIn = await loginAs(app, storage(), 'registrar');
    const token = await issueToken(signedIn.headers);
    const guess = (current: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: { ...bearer(token), 'x-forwarded-for': '10.11.0.1' },
        payload: { current_password: current, new_password: 'a stolen password 3' },
      });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      statuses.push((await guess(`guess number ${attempt}`)).statusCode);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429, 429, 429]);
    // Even the right password is refused while the guesser is slowed.
    const right = await guess(signedIn.password);
    expect(right.statusCode).toBe(429);
    expect(right.json()).toMatchObject({ code: 'rate-limited' });
    // And the owner still signs in from elsewhere.
    const owner = await login(signedIn.user.username, signedIn.password, {
      'x-forwarded-for': '10.11.0.2',
    });
    expect(owner.statusCode).toBe(200);
  });

  it('answers 401 without a session and ignores a forged cookie', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await me('awn_session=forged')).statusCode).toBe(401);
  });
});

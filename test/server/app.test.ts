import { expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/database.js';
import { buildApp } from '../../src/server/app.js';
import { buildTestApp, createTestUser, loginAs } from '../helpers/app.js';

describeEachDialect('HTTP assembly', (storage) => {
  it('answers /healthz when the database is reachable', async () => {
    const app = await buildTestApp(storage());
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
    await app.close();
  });

  it('logs one line per request: method, path without the query, status and time', async () => {
    const lines: string[] = [];
    const app = await buildApp({
      storage: storage(),
      logger: { level: 'info', stream: { write: (line) => void lines.push(line) } },
    });
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login?phone=0991234567',
      payload: { username: 'نور', password: 'not-the-password' },
    });
    await app.close();
    const requests = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(requests.filter((line) => line.msg === 'request')).toHaveLength(2);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatchObject({
      method: 'POST',
      path: '/api/v1/auth/login',
      status: 401,
      time_ms: expect.any(Number),
    });
    expect(lines.join('')).not.toMatch(/0991234567|نور|not-the-password/u);
  });

  it('publishes OpenAPI 3.1 that documents every API route', async () => {
    const app = await buildTestApp(storage());
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths['/api/v1/auth/login']).toBeDefined();
    const docs = await app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(docs.statusCode);
    await app.close();
  });

  it('serves Prometheus metrics to admins and to the configured addresses only', async () => {
    const app = await buildTestApp(storage());
    await app.inject({ method: 'GET', url: '/healthz' });
    const anonymous = await app.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    const volunteer = await loginAs(app, storage(), 'volunteer');
    expect(
      (await app.inject({ method: 'GET', url: '/metrics', headers: volunteer.headers })).statusCode,
    ).toBe(403);
    const admin = await loginAs(app, storage(), 'admin');
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: admin.headers });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('awn_http_requests_total');
    await app.close();

    // A scraper at a configured address needs no credentials; one elsewhere does.
    const scraped = await buildTestApp(storage(), {
      metricsAddresses: ['10.0.0.0/8', '127.0.0.1'],
    });
    expect((await scraped.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expect(
      (await scraped.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.7' }))
        .statusCode,
    ).toBe(401);
    expect(
      (await scraped.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' }))
        .statusCode,
    ).toBe(200);
    await scraped.close();
  });

  it('keeps API answers out of caches and never lets a page be framed or sniffed', async () => {
    const app = await buildTestApp(storage());
    const admin = await loginAs(app, storage(), 'admin');
    for (const url of ['/api/v1/me', '/api/v1/users', '/api/v1/nowhere', '/api/openapi.json']) {
      const answer = await app.inject({ method: 'GET', url, headers: admin.headers });
      expect(answer.headers['cache-control'], url).toBe('no-store');
      expect(answer.headers['x-content-type-options'], url).toBe('nosniff');
    }
    const failed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: 'wrong password' },
    });
    expect(failed.headers['cache-control']).toBe('no-store');
    const docs = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(docs.headers['content-security-policy']).toContain("script-src 'self'");
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
    await app.close();
  });

  it('believes X-Forwarded-For and X-Forwarded-Proto from trusted proxies only, for the Secure cookie', async () => {
    const { user, password } = await createTestUser(storage(), { role: 'volunteer' });
    const signIn = (app: Awaited<ReturnType<typeof buildTestApp>>, headers = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: user.username, password },
        headers,
      });
    const secure = (answer: { headers: Record<string, unknown> }) =>
      String(answer.headers['set-cookie']).includes('Secure');
    const https = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.4' };

    const direct = await buildTestApp(storage());
    expect(secure(await signIn(direct, https))).toBe(false);
    await direct.close();

    const proxied = await buildTestApp(storage(), { trustedProxies: ['127.0.0.1'] });
    expect(secure(await signIn(proxied, https))).toBe(true);
    expect(secure(await signIn(proxied, { 'x-forwarded-proto': 'http' }))).toBe(false);
    // From an address that is not a trusted proxy the header is a lie.
    const spoofed = await proxied.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user.username, password },
      headers: https,
      remoteAddress: '203.0.113.9',
    });
    expect(secure(spoofed)).toBe(false);
    await proxied.close();

    const forced = await buildTestApp(storage(), { secureCookies: true });
    expect(secure(await signIn(forced))).toBe(true);
    await forced.close();
  });

  it('answers unknown routes, bad JSON, unknown fields and oversized bodies with problem+json', async () => {
    const app = await buildTestApp(storage());
    const missing = await app.inject({ method: 'GET', url: '/api/v1/nowhere' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');

    const badJson = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json()).toMatchObject({ code: 'invalid-json', status: 400 });

    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'x', password: 'y', extra: 1 },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      code: 'validation-failed',
      errors: [{ path: 'body/extra', message: 'is not a known field' }],
    });

    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'x', password: 'y'.repeat(2 * 1024 * 1024) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'body-too-large' });
    await app.close();
  });

  it('echoes a sane request id and never leaks internals on a 500', async () => {
    const app = await buildTestApp(storage());
    const session = await loginAs(app, storage(), 'admin');
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { ...session.headers, 'x-request-id': 'trace-123' },
    });
    expect(response.headers['x-request-id']).toBe('trace-123');
    const odd = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id<script>' },
    });
    expect(odd.headers['x-request-id']).not.toContain('<');
    await app.close();
  });
});

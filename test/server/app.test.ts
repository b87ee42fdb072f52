import { expect, it } from 'vitest';
import { describeEachDialect } from '../helpers/database.js';
import { buildTestApp, loginAs } from '../helpers/app.js';

describeEachDialect('HTTP assembly', (storage) => {
  it('answers /healthz when the database is reachable', async () => {
    const app = await buildTestApp(storage());
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
    await app.close();
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

  it('serves Prometheus metrics', async () => {
    const app = await buildTestApp(storage());
    await app.inject({ method: 'GET', url: '/healthz' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('awn_http_requests_total');
    await app.close();
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

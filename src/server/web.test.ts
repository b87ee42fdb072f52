// The web app's static serving: app routes get index.html, assets are cached and gzipped,
// the API's unknown paths stay 404, nothing outside web/dist is served.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwnApp } from './app.js';
import { webBuildIsFresh, webRoutes } from './web.js';

let directory: string;
let dist: string;
const script = `console.log(${JSON.stringify('عون '.repeat(600))});`;

async function appServing(distDirectory: string): Promise<AwnApp> {
  const app = Fastify() as unknown as AwnApp;
  await app.register(webRoutes, { distDirectory });
  return app;
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'awn-web-'));
  dist = join(directory, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>عون</title>');
  mkdirSync(join(dist, 'field'));
  writeFileSync(join(dist, 'field', 'index.html'), '<!doctype html><title>الميدان</title>');
  writeFileSync(join(dist, 'field', 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), script);
  writeFileSync(join(directory, 'secret.txt'), 'not for the web');
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('web app serving', () => {
  it('answers index.html for the app and its routes, never cached, with a content security policy', async () => {
    const app = await appServing(dist);
    for (const url of ['/', '/households/123', '/counter?card=1']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.body).toContain('<title>عون</title>');
    }
    await app.close();
  });

  it("answers the field app's own index.html under /field/, and its service worker uncached", async () => {
    const app = await appServing(dist);
    for (const url of ['/field', '/field/', '/field/runs/1']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<title>الميدان</title>');
    }
    const worker = await app.inject({ method: 'GET', url: '/field/sw.js' });
    expect(worker.headers['content-type']).toContain('text/javascript');
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect((await app.inject({ method: 'GET', url: '/fieldwork' })).body).toContain(
      '<title>عون</title>',
    );
    await app.close();
  });

  it('serves hashed assets for a year, gzipped when the client accepts it', async () => {
    const app = await appServing(dist);
    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['cache-control']).toContain('immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
    const zipped = await app.inject({
      method: 'GET',
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(script);
    await app.close();
  });

  it('leaves unknown assets and API paths to the 404 handler and serves nothing outside dist', async () => {
    const app = await appServing(dist);
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/nope' })).statusCode).toBe(404);
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.body).not.toContain('not for the web');
    }
    await app.close();
  });

  it('says plainly when the web app is not built', async () => {
    const app = await appServing(join(directory, 'missing'));
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build:web');
    await app.close();
  });

  it('finds a build older than the sources stale', () => {
    const old = join(directory, 'old');
    mkdirSync(old);
    writeFileSync(join(old, 'index.html'), '');
    utimesSync(join(old, 'index.html'), new Date(0), new Date(0));
    expect(webBuildIsFresh(old)).toBe(false);
    const future = new Date(Date.now() + 86_400_000);
    utimesSync(join(old, 'index.html'), future, future);
    expect(webBuildIsFresh(old)).toBe(true);
    expect(webBuildIsFresh(join(directory, 'missing'))).toBe(false);
  });
});

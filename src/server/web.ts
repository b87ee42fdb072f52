/**
 * The web app: built by Vite into web/dist and served by the Awn server, the office app at `/`
 * and the field app at `/field/`. Hashed files under /assets/ are cached for a year; every
 * other path that is not the API gets its app's index.html, so the app's own routes
 * (/households/…) survive a reload.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { AwnApp } from './types.js';

export const webRoot = fileURLToPath(new URL('../../web/', import.meta.url));
export const repositoryRoot = resolve(webRoot, '..');
export const defaultWebDist = join(webRoot, 'dist');

/** Sources whose change makes web/dist stale. */
const sourcePaths = [
  'src',
  'index.html',
  'field',
  'scripts',
  'vite.config.ts',
  'postcss.config.cjs',
];

function newestModification_ms(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestModification_ms(join(path, entry)));
  }
  return newest;
}

/** True when web/dist/index.html exists and is newer than every web source. */
export function webBuildIsFresh(distDirectory = defaultWebDist): boolean {
  const index = join(distDirectory, 'index.html');
  if (!existsSync(index)) return false;
  const built_ms = statSync(index).mtimeMs;
  return sourcePaths.every((path) => newestModification_ms(join(webRoot, path)) <= built_ms);
}

export type WebBuildOutcome = 'fresh' | 'built' | 'unavailable';

let building: Promise<WebBuildOutcome> | null = null;

/**
 * Makes sure web/dist is there and not older than web/src, running `vite build` when it is
 * not (about 10 s). Resolves `unavailable` when it cannot build (no Vite installed, or the
 * build failed) so the API still serves; never rejects.
 */
export function ensureWebBuilt(
  options: { log?: (line: string) => void; force?: boolean } = {},
): Promise<WebBuildOutcome> {
  if (!options.force && webBuildIsFresh()) return Promise.resolve('fresh');
  building ??= buildWeb(options.log ?? (() => undefined)).finally(() => {
    building = null;
  });
  return building;
}

function buildWeb(log: (line: string) => void): Promise<WebBuildOutcome> {
  const viteBin = join(repositoryRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(viteBin)) {
    log(
      'The web app is not built and Vite is not installed: run `npm ci` then `npm run build:web`.',
    );
    return Promise.resolve('unavailable');
  }
  log('Building the web app (web/dist)…');
  return new Promise((resolvePromise) => {
    const child = spawn(
      process.execPath,
      [viteBin, 'build', '--config', join(webRoot, 'vite.config.ts'), '--logLevel', 'warn'],
      {
        cwd: repositoryRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Under Vitest NODE_ENV is 'test', which would make Vite bundle React's development build.
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (error) => {
      log(`The web app build could not start: ${error.message}`);
      resolvePromise('unavailable');
    });
    child.on('close', (code) => {
      if (code === 0) {
        resolvePromise('built');
      } else {
        log(`The web app build failed (exit ${code}):\n${output}`);
        resolvePromise('unavailable');
      }
    });
  });
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const compressible = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.svg',
  '.webmanifest',
  '.txt',
]);

// Styles are inline (Mantine's CSS variables); scripts, images and connections stay same-origin.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

interface CachedFile {
  modified_ms: number;
  body: Buffer;
  gzipped: Buffer | null;
}

const notBuiltPage = `<!doctype html><html lang="ar" dir="rtl"><meta charset="utf-8"><title>عون</title>
<body style="font-family:sans-serif;padding:2rem"><h1>عون</h1>
<p>واجهة الويب غير مبنية بعد. شغّل <code>npm run build:web</code> ثم أعد تحميل الصفحة.</p>
<p dir="ltr">The web app is not built yet: run <code>npm run build:web</code>, then reload. The API is at <a href="/api/docs">/api/docs</a>.</p></body></html>`;

/** Serves the built web app from `distDirectory` at `/` (all GET paths outside /api). */
export async function webRoutes(
  app: AwnApp,
  options: { distDirectory?: string } = {},
): Promise<void> {
  const dist = resolve(options.distDirectory ?? defaultWebDist);
  const cache = new Map<string, CachedFile>();

  async function load(path: string): Promise<CachedFile | null> {
    let modified_ms: number;
    try {
      const stats = statSync(path);
      if (!stats.isFile()) return null;
      modified_ms = stats.mtimeMs;
    } catch {
      return null;
    }
    const cached = cache.get(path);
    if (cached && cached.modified_ms === modified_ms) return cached;
    const body = await readFile(path);
    const gzipped =
      compressible.has(extname(path)) && body.length > 1024 ? gzipSync(body, { level: 9 }) : null;
    const file = { modified_ms, body, gzipped };
    cache.set(path, file);
    return file;
  }

  app.get(
    '/*',
    { schema: { hide: true }, config: { access: 'public' } },
    async (request, reply) => {
      const wildcard = (request.params as { '*'?: string })['*'] ?? '';
      const pathname = `/${wildcard}`;
      if (pathname.startsWith('/api/') || pathname === '/api') return reply.callNotFound();

      let relative: string;
      try {
        relative = normalize(decodeURIComponent(wildcard.split('?')[0] ?? ''));
      } catch {
        return reply.callNotFound();
      }
      const asked = resolve(dist, relative);
      const inside = asked === dist || asked.startsWith(dist + sep);
      const isAsset = pathname.startsWith('/assets/');
      const index =
        pathname === '/field' || pathname.startsWith('/field/')
          ? join(dist, 'field', 'index.html')
          : join(dist, 'index.html');

      let path = inside && relative !== '.' && relative !== '' ? asked : index;
      let file = await load(path);
      if (!file && isAsset) return reply.callNotFound();
      if (!file) {
        path = index;
        file = await load(path);
      }
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      if (!file) {
        return reply
          .code(503)
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(notBuiltPage);
      }
      const extension = extname(path);
      reply.type(contentTypes[extension] ?? 'application/octet-stream');
      reply.header('cache-control', isAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (extension === '.html') reply.header('content-security-policy', contentSecurityPolicy);
      reply.header('vary', 'accept-encoding');
      const acceptsGzip = /\bgzip\b/u.test(String(request.headers['accept-encoding'] ?? ''));
      if (file.gzipped && acceptsGzip) {
        return reply.header('content-encoding', 'gzip').send(file.gzipped);
      }
      return reply.send(file.body);
    },
  );
}

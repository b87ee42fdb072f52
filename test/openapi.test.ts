/**
 * The API document as integrators use it: every operation named and tagged, its problem
 * answers listed with their codes, and a TypeScript client generated from it with
 * openapi-typescript that type-checks a real call (and refuses a wrong one).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Storage } from '../src/db/connect.js';
import { buildApp, type AwnApp } from '../src/server/app.js';

const run = promisify(execFile);
const tsc = join(process.cwd(), 'node_modules', 'typescript', 'bin', 'tsc');

interface Operation {
  operationId?: string;
  tags?: string[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

describe('the API document', () => {
  let storage: Storage;
  let app: AwnApp;
  let document: { paths: Record<string, Record<string, Operation>> } & Record<string, unknown>;
  let directory: string;

  beforeAll(async () => {
    storage = await connect(':memory:');
    app = await buildApp({ storage, logger: false });
    await app.ready();
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    document = response.json();
    directory = await mkdtemp(join(tmpdir(), 'awn-openapi-'));
  });

  afterAll(async () => {
    await app.close();
    await storage.close();
    await rm(directory, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    );

  it('names and tags every operation once, and carries servers and the licence', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.length).toBeGreaterThan(50);
    for (const { path, method, operation } of operations()) {
      expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z]+[A-Z][A-Za-z0-9]*$/);
      expect(operation.tags, `${method} ${path}`).toHaveLength(1);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(document.info).toMatchObject({ license: { name: 'AGPL-3.0-or-later' } });
  });

  it("lists each operation's problem answers with their codes", () => {
    const update = document.paths['/api/v1/households/{id}']?.patch;
    const problem = (status: string) =>
      JSON.stringify(update?.responses[status]?.content?.['application/problem+json']);
    expect(problem('400')).toContain('validation-failed');
    expect(problem('401')).toContain('unauthenticated');
    expect(problem('403')).toContain('forbidden');
    expect(problem('403')).toContain('csrf-rejected');
    expect(problem('404')).toContain('not-found');
    expect(update?.responses['409']).toBeDefined();
    // A public read has neither 401 nor 403.
    const key = document.paths['/api/v1/cards/public-key']?.get;
    expect(Object.keys(key?.responses ?? {}).sort()).toEqual(['200', '500']);
  });

  it('refuses at startup a route without an operationId', async () => {
    const probe = await buildApp({ storage, logger: false });
    try {
      expect(() =>
        probe.get(
          '/api/v1/unnamed',
          { config: { access: 'public' }, schema: { tags: ['households'] } },
          async () => 'x',
        ),
      ).toThrow(/route GET \/api\/v1\/unnamed must declare schema.operationId/);
    } finally {
      await probe.close();
    }
  });

  it('generates a TypeScript client that type-checks a call and refuses a wrong one', async () => {
    const types = astToString(await openapiTS(document as never));
    await writeFile(join(directory, 'api.ts'), types);
    const call = (body: string) => `import type { operations } from './api.js';
type Create = operations['createHousehold'];
type Body = Create['requestBody']['content']['application/json'];
type Created = Create['responses'][201]['content']['application/json'];
type Refusal = Create['responses'][409]['content']['application/problem+json'];
async function createHousehold(body: Body): Promise<Created | Refusal> {
  const response = await fetch('/api/v1/households', { method: 'POST', body: JSON.stringify(body) });
  return (await response.json()) as Created | Refusal;
}
export const answer = createHousehold(${body});
export const forbidden: Create['responses'][403]['content']['application/problem+json']['code'] = 'forbidden';
`;
    const check = async (name: string, body: string) => {
      await writeFile(join(directory, name), call(body));
      const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext'];
      return run(process.execPath, [...args, '--skipLibCheck', join(directory, name)]).then(
        () => 'ok',
        (error: { stdout?: string }) => error.stdout ?? 'failed',
      );
    };
    const good = `{ head_given_name: 'أحمد', head_father_name: 'محمد', head_family_name: 'الحسن', area_pcode: 'SY06' }`;
    expect(await check('good.ts', good)).toBe('ok');
    // A misspelt field and a missing required one are compile errors.
    const wrong = `{ head_given_name: 'أحمد', head_fathers_name: 'محمد', area_pcode: 'SY06' }`;
    expect(await check('wrong.ts', wrong)).toMatch(/error TS/);
  }, 120_000);
});

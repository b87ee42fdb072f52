import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, loginAs, type SignedIn } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/database.js';
import { cleanText } from '../domain/text/clean.js';
import { seedTestAreas, testAreas } from '../modules/households/households.factories.js';
import type { AwnApp } from './app.js';

interface Problem {
  status: number;
  code: string;
  errors?: { path: string; message: string; code?: string; params?: Record<string, unknown> }[];
}

describe('cleanText', () => {
  it('refuses control characters, removes invisible marks, keeps secrets as typed', () => {
    expect(cleanText('a\u0000b')).toMatchObject({ ok: false });
    expect(cleanText('a\u0085b')).toMatchObject({ ok: false });
    expect(cleanText('a\nb')).toMatchObject({ ok: false });
    expect(cleanText('a\ud800b')).toMatchObject({ ok: false });
    expect(cleanText('a\nb\tc', 'multiline')).toEqual({ ok: true, value: 'a\nb\tc' });
    expect(cleanText('a\u0000b', 'multiline')).toMatchObject({ ok: false });
    expect(cleanText('\u202Eأحمد\u200B\u200F\uFEFF')).toEqual({ ok: true, value: 'أحمد' });
    expect(cleanText('p\u200Bw', 'secret')).toEqual({ ok: true, value: 'p\u200Bw' });
    expect(cleanText('😀 عون')).toEqual({ ok: true, value: '😀 عون' });
  });
});

describeEachDialect('every route refuses non-finite numbers and control characters', (storage) => {
  let app: AwnApp;
  let admin: SignedIn;
  const send = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { ...admin.headers, 'content-type': 'application/json' },
      ...(payload === undefined
        ? {}
        : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    app = await buildTestApp(storage());
    admin = await loginAs(app, storage(), 'admin');
  });
  afterAll(async () => {
    await app.close();
  });

  const community = (pcode: string, extra: Record<string, unknown> = {}) => ({
    pcode,
    parent_pcode: testAreas.subdistrict,
    kind: 'village',
    name_ar: 'قرية',
    name_en: 'Village',
    ...extra,
  });

  it('answers 400 naming the field for "Infinity", "-Infinity" and 1e400, and stores nothing', async () => {
    for (const [index, latitude] of ['Infinity', '-Infinity', '1e400'].entries()) {
      const response = await send(
        'POST',
        '/api/v1/areas',
        community(`INF${index}`, { latitude, longitude: 1 }),
      );
      expect(response.statusCode).toBe(400);
      expect(response.json<Problem>().errors).toContainEqual({
        path: 'body/latitude',
        message: 'must be a finite number',
        code: 'invalid-type',
      });
    }
    // JSON.parse reads a too-large literal as Infinity.
    const literal = await send(
      'POST',
      '/api/v1/areas',
      JSON.stringify(community('INF9', { longitude: 1 })).replace('}', ',"latitude":1e400}'),
    );
    expect(literal.statusCode).toBe(400);
    const scale = await send('POST', '/api/v1/commodities', {
      code: 'infinite',
      name_ar: 'سكر',
      name_en: 'Sugar',
      base_unit: 'g',
      display_unit: 'kg',
      display_scale: 'Infinity',
    });
    expect(scale.statusCode).toBe(400);
    expect(scale.json<Problem>().errors).toContainEqual({
      path: 'body/display_scale',
      message: 'must be a finite number',
      code: 'invalid-type',
    });
    const limit = await send('GET', '/api/v1/areas?limit=Infinity');
    expect(limit.statusCode).toBe(400);
    expect(limit.json<Problem>().errors?.[0]?.path).toBe('querystring/limit');
    // The lists still answer.
    expect((await send('GET', '/api/v1/areas')).statusCode).toBe(200);
    expect((await send('GET', '/api/v1/commodities')).statusCode).toBe(200);
    const stored = await storage()
      .db.selectFrom('areas')
      .select('pcode')
      .where('pcode', 'like', 'INF%')
      .execute();
    expect(stored).toEqual([]);
  });

  it('answers 400 naming the field for NUL and other control characters in path, query and body', async () => {
    const body = await send('POST', '/api/v1/areas', community('NUL1', { name_ar: 'قرية\u0000' }));
    expect(body.statusCode).toBe(400);
    expect(body.json<Problem>().errors?.[0]?.path).toBe('body/name_ar');
    const newline = await send(
      'POST',
      '/api/v1/areas',
      community('NUL2', { name_en: 'Two\nlines' }),
    );
    expect(newline.statusCode).toBe(400);
    expect(newline.json<Problem>().errors?.[0]?.path).toBe('body/name_en');
    const path = await send('GET', '/api/v1/households/abc%00def');
    expect(path.statusCode).toBe(400);
    expect(path.json<Problem>().errors?.[0]?.path).toBe('params/id');
    const query = await send('GET', '/api/v1/households?q=%D8%A3%00');
    expect(query.statusCode).toBe(400);
    expect(query.json<Problem>().errors?.[0]?.path).toBe('querystring/q');
    const member = await send('POST', '/api/v1/households', {
      head_given_name: 'أحمد',
      head_father_name: 'محمد',
      head_family_name: 'الخطيب',
      area_pcode: testAreas.subdistrict,
      members: [{ name: 'سارة\u0007' }],
    });
    expect(member.statusCode).toBe(400);
    expect(member.json<Problem>().errors?.[0]?.path).toBe('body/members/0/name');
  });

  it('removes bidi overrides and zero-width characters from names, addresses and labels', async () => {
    const area = await send(
      'POST',
      '/api/v1/areas',
      community('BIDI1', { name_ar: '\u202Eقرية\u200B', name_en: 'Vil\u2066lage\u2069' }),
    );
    expect(area.statusCode).toBe(201);
    expect(area.json()).toMatchObject({ name_ar: 'قرية', name_en: 'Village' });
    // Invisible marks alone are no name.
    const empty = await send(
      'POST',
      '/api/v1/areas',
      community('BIDI2', { name_ar: '\u200B\u202E' }),
    );
    expect(empty.statusCode).toBe(400);
    const household = await send('POST', '/api/v1/households', {
      head_given_name: 'أحمد\u200F',
      head_father_name: '\u202Bمحمد\u202C',
      head_family_name: 'الخطيب',
      area_pcode: testAreas.subdistrict,
      address: 'شارع\u200D بغداد\nبناء 3',
      household_size: 3,
    });
    expect(household.statusCode, household.body).toBe(201);
    expect(household.json()).toMatchObject({
      head_given_name: 'أحمد',
      head_father_name: 'محمد',
      address: 'شارع بغداد بناء 3',
    });
  });

  it('refuses a CSV cell with a NUL as a row error naming the cell, and imports nothing', async () => {
    const csv = [
      'head_given_name,head_father_name,head_family_name,household_size,area_pcode,address',
      `سعيد,محمد,الحلبي,2,${testAreas.subdistrict},شارع`,
      `خالد\u0000,محمد,الحلبي,2,${testAreas.subdistrict},شارع\u202E`,
    ].join('\n');
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/imports/households',
      headers: { ...admin.headers, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(response.statusCode).toBe(200);
    const report = response.json<{ committed: boolean; rejected: unknown[] }>();
    expect(report.committed).toBe(false);
    expect(report.rejected).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'head_given_name',
        cell: 'A3',
        code: 'control-character',
      }),
    ]);
  });

  it('names the rule broken and its limit for each field, so clients can word it', async () => {
    const user = await send('POST', '/api/v1/users', {
      username: 'short-password',
      display_name: 'x',
      role: 'auditor',
      password: 'abc',
      colour: 'blue',
    });
    expect(user.statusCode).toBe(400);
    const userErrors = (user.json() as Problem).errors ?? [];
    expect(userErrors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'body/password',
          code: 'too-short',
          params: { limit: 10 },
        }),
        expect.objectContaining({ path: 'body/colour', code: 'unknown-field' }),
      ]),
    );
    const programme = await send('POST', '/api/v1/programmes', {
      code: 'Bad Code',
      name_ar: 'برنامج',
      name_en: 'Programme',
    });
    expect(programme.statusCode).toBe(400);
    expect((programme.json() as Problem).errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'body/code', code: 'pattern' }),
        expect.objectContaining({ path: 'body/rules', code: 'required' }),
      ]),
    );
  });
});

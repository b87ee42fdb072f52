/**
 * Fuzzing every route of the OpenAPI document: for each operation the schemas it publishes
 * (path and query parameters, the JSON body) generate a plausible request, and then one part of
 * it is made bad: a wrong type, a value past its bounds, a non-finite number, a NUL or another
 * control character, a very long string, an unknown field, a missing required one, a hostile
 * path parameter, or a body that is not what the route reads at all. Any 5xx fails the test.
 * Routes are read from the document, so a route added later is fuzzed without a change here.
 * A fixed seed makes a failure reproducible; the time budget keeps it suited to CI.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AwnApp } from '../src/server/app.js';
import { buildTestApp, loginAs, testOrigin, type SignedIn } from './helpers/app.js';
import { describeEachDialect } from './helpers/database.js';
import { seedTestAreas } from '../src/modules/households/households.factories.js';

const seed = Number(process.env.AWN_FUZZ_SEED ?? 20_260_329);
const budgetMs = Number(process.env.AWN_FUZZ_BUDGET_MS ?? 20_000);
/** Requests per operation at most (the budget usually ends the run first on a busy machine). */
const maxRoundsPerOperation = 60;

type Schema = Record<string, unknown>;

interface Operation {
  method: string;
  path: string;
  pathParameters: { name: string; schema: Schema }[];
  queryParameters: { name: string; schema: Schema; required: boolean }[];
  body: Schema | null;
  /** A POST/PUT/PATCH whose body the document does not describe (e.g. a file upload). */
  rawBody: boolean;
}

/** mulberry32: small, seeded, good enough to pick among cases. */
function seededRandom(start: number) {
  let state = start >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    below: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof seededRandom>;

/** Values that fit the common patterns (p-codes, codes, dates, ids); one is tried per pattern. */
const patternSamples = [
  'SY06',
  'SY060000',
  'sugar',
  'sugar_1',
  'a',
  'A',
  '2026-03-01',
  '2026-03-01T08:00:00.000Z',
  '0123456789',
  '0912345678',
  '00000000-0000-4000-8000-000000000000',
  'abc-123',
  '1:' + '0'.repeat(64),
];

function operationsOf(document: Schema): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths as Record<string, Schema>)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const operation = raw as Schema;
      const parameters = (operation.parameters ?? []) as {
        in: string;
        name: string;
        required?: boolean;
        schema?: Schema;
      }[];
      const content = (operation.requestBody as Schema | undefined)?.content as
        Record<string, { schema?: Schema }> | undefined;
      const body = content?.['application/json']?.schema ?? null;
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParameters: parameters
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => ({ name: parameter.name, schema: parameter.schema ?? {} })),
        queryParameters: parameters
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => ({
            name: parameter.name,
            schema: parameter.schema ?? {},
            required: parameter.required ?? false,
          })),
        body,
        rawBody: body === null && ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase()),
      });
    }
  }
  return operations;
}

function resolve(schema: Schema, document: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.split('/').pop() as string;
  const found = ((document.components as Schema | undefined)?.schemas as Schema | undefined)?.[
    name
  ];
  return (found as Schema | undefined) ?? {};
}

/** A value that the schema probably accepts (patterns are matched from a few samples). */
function plausible(schemaIn: Schema, document: Schema, random: Random, depth = 0): unknown {
  const schema = resolve(schemaIn, document);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return random.pick(schema.enum as unknown[]);
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches?.length) return plausible(random.pick(branches), document, random, depth);
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0)
    return plausible(schema.allOf[0] as Schema, document, random, depth);
  const type = Array.isArray(schema.type) ? random.pick(schema.type as string[]) : schema.type;
  switch (type) {
    case 'string': {
      if (typeof schema.pattern === 'string') {
        const pattern = new RegExp(schema.pattern, 'u');
        const fits = patternSamples.filter((sample) => pattern.test(sample));
        if (fits.length > 0) return random.pick(fits);
      }
      if (schema.format === 'date') return '2026-03-01';
      if (schema.format === 'date-time') return '2026-03-01T08:00:00.000Z';
      const min = Number(schema.minLength ?? 1);
      const max = Number(schema.maxLength ?? 12);
      const length = Math.max(min, Math.min(max, 1 + random.below(8)));
      return random.pick(['س', 'a', '٣', 'x']).repeat(length);
    }
    case 'integer':
    case 'number': {
      const min = Number(schema.minimum ?? 0);
      const max = Number(schema.maximum ?? min + 100);
      const value = min + random.next() * (max - min);
      return type === 'integer' ? Math.floor(value) : value;
    }
    case 'boolean':
      return random.chance(0.5);
    case 'null':
      return null;
    case 'array': {
      if (depth > 4) return [];
      const min = Number(schema.minItems ?? 0);
      const count = Math.max(min, Math.min(Number(schema.maxItems ?? 3), random.below(3)));
      return Array.from({ length: count }, () =>
        plausible((schema.items as Schema | undefined) ?? {}, document, random, depth + 1),
      );
    }
    case 'object':
    default: {
      if (depth > 4 || !schema.properties) return {};
      const required = new Set((schema.required ?? []) as string[]);
      const value: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties as Record<string, Schema>)) {
        if (required.has(name) || random.chance(0.5))
          value[name] = plausible(property, document, random, depth + 1);
      }
      return value;
    }
  }
}

/** Bad values of every kind, some shaped after the schema (its bounds), some not. */
function badValue(schemaIn: Schema, document: Schema, random: Random): unknown {
  const schema = resolve(schemaIn, document);
  const bounds: unknown[] = [];
  for (const key of ['minimum', 'exclusiveMinimum']) {
    if (typeof schema[key] === 'number') bounds.push((schema[key] as number) - 1, -1e308);
  }
  for (const key of ['maximum', 'exclusiveMaximum']) {
    if (typeof schema[key] === 'number') bounds.push((schema[key] as number) + 1, 2 ** 63);
  }
  if (typeof schema.maxLength === 'number') bounds.push('م'.repeat(schema.maxLength + 1));
  if (typeof schema.maxItems === 'number') bounds.push(Array(schema.maxItems + 1).fill('a'));
  return random.pick([
    ...bounds,
    'Infinity',
    '-Infinity',
    'NaN',
    '1e400',
    -0,
    1.5,
    2 ** 53 + 2,
    -(2 ** 31) - 1,
    '',
    ' ',
    'a\u0000b',
    '\u0000',
    '\u0007\u001b[31m',
    '\u202Eأحمد\u200B',
    '\ud800',
    'x'.repeat(100_000),
    "' or 1=1 --",
    '%',
    '../../etc/passwd',
    '[]',
    '{}',
    true,
    null,
    [],
    [null],
    {},
    { $ref: '#' },
    { __proto__: { polluted: true } },
    [[[[[[]]]]]],
    12,
    '٠١٢٣٤٥٦٧٨٩',
  ]);
}

/** Every JSON pointer in the value (the root as ''). */
function pointers(value: unknown, at = ''): string[] {
  const found = [at];
  if (Array.isArray(value))
    value.forEach((item, index) => found.push(...pointers(item, `${at}/${index}`)));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) found.push(...pointers(item, `${at}/${key}`));
  return found;
}

/** The sub-schema at a pointer of a value generated from the schema (best effort). */
function schemaAt(schemaIn: Schema, pointer: string, document: Schema): Schema {
  let schema = resolve(schemaIn, document);
  for (const part of pointer.split('/').slice(1)) {
    const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (branches?.length) schema = resolve(branches[0] as Schema, document);
    const properties = schema.properties as Record<string, Schema> | undefined;
    schema = resolve(
      properties?.[part] ?? (schema.items as Schema | undefined) ?? ({} as Schema),
      document,
    );
  }
  return schema;
}

function setAt(root: unknown, pointer: string, value: unknown): unknown {
  if (pointer === '') return value;
  const parts = pointer.split('/').slice(1);
  let node = root as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1] as string] = value;
  return root;
}

function removeAt(root: unknown, pointer: string): void {
  const parts = pointer.split('/').slice(1);
  if (parts.length === 0) return;
  let node = root as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  const last = parts[parts.length - 1] as string;
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
}

interface FuzzRequest {
  method: string;
  url: string;
  payload?: string | Buffer;
  contentType?: string;
}

const hostileSegments = [
  '%00',
  'a%00b',
  '%2e%2e%2f',
  '..',
  '%',
  '%E0%A4%A',
  '%C0%AF',
  'x'.repeat(5000),
  '%F0%9F%98%80',
  'SY06%0A',
  '-1',
  '1e400',
  'Infinity',
  '00000000-0000-4000-8000-000000000000',
  '%20',
];

/** encodeURIComponent, with a lone surrogate sent as the bytes a careless client would send. */
function encodeSegment(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

function queryText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value as string | number | boolean);
}

/** One request for the operation, with exactly one part made bad (or all plausible). */
function fuzzRequest(operation: Operation, document: Schema, random: Random): FuzzRequest {
  const mutation = random.pick(['path', 'query', 'body', 'body', 'body', 'none']);
  let path = operation.path;
  for (const parameter of operation.pathParameters) {
    const good = queryText(plausible(parameter.schema, document, random));
    const value =
      mutation === 'path' && random.chance(0.7)
        ? random.pick(hostileSegments)
        : encodeSegment(
            mutation === 'path' ? queryText(badValue(parameter.schema, document, random)) : good,
          );
    path = path.replace(`{${parameter.name}}`, value);
  }
  const query = new URLSearchParams();
  for (const parameter of operation.queryParameters) {
    if (parameter.required || random.chance(0.4))
      query.append(parameter.name, queryText(plausible(parameter.schema, document, random)));
  }
  if (mutation === 'query') {
    const parameter = operation.queryParameters.length
      ? random.pick(operation.queryParameters)
      : undefined;
    if (parameter && random.chance(0.8)) {
      query.set(parameter.name, queryText(badValue(parameter.schema, document, random)));
      if (random.chance(0.2)) query.append(parameter.name, 'again');
    } else query.append(random.pick(['unknown', '__proto__', 'constructor']), 'x');
  }
  const search = query.toString();
  const url = search === '' ? path : `${path}?${search}`;

  if (operation.body) {
    let body = plausible(operation.body, document, random);
    if (mutation === 'body') {
      const kind = random.pick(['value', 'value', 'value', 'unknown', 'missing', 'raw']);
      if (kind === 'raw') {
        return {
          method: operation.method,
          url,
          payload: random.pick(['', '{', 'null', '[]', '"text"', '1e400', '{"a":1}'.repeat(3)]),
          contentType: 'application/json',
        };
      }
      const targets = pointers(body);
      const target = random.pick(targets);
      if (kind === 'unknown' && body !== null && typeof body === 'object') {
        (body as Record<string, unknown>)[random.pick(['unknown_field', '__proto__', 'id'])] = 1;
      } else if (kind === 'missing') {
        removeAt(body, target);
      } else {
        body = setAt(
          body,
          target,
          badValue(schemaAt(operation.body, target, document), document, random),
        );
      }
    }
    // JSON.stringify writes Infinity as null; the literal 1e400 reaches JSON.parse as Infinity.
    const text = JSON.stringify(body).replaceAll(
      '"1e400"',
      random.chance(0.5) ? '1e400' : '"1e400"',
    );
    return { method: operation.method, url, payload: text, contentType: 'application/json' };
  }
  if (operation.rawBody) {
    const contentType = random.pick([
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/json',
      'application/octet-stream',
    ]);
    const payload = random.pick([
      Buffer.from('head_given_name,area_pcode\nأ\u0000,SY06\n'),
      Buffer.from('\u0000\u0001\u0002'),
      Buffer.from('PK\u0003\u0004garbage'),
      Buffer.from('a,b,c\n"unterminated'),
      Buffer.from(''),
      Buffer.from('{}'),
    ]);
    return { method: operation.method, url, payload, contentType };
  }
  return { method: operation.method, url };
}

interface Failure {
  request: string;
  status: number;
  body: string;
}

async function fuzzAll(
  app: AwnApp,
  document: Schema,
  headers: () => Record<string, string>,
  relogin: () => Promise<void>,
  random: Random,
  deadline: number,
): Promise<{ failures: Failure[]; sent: number }> {
  const operations = operationsOf(document);
  const failures: Failure[] = [];
  let sent = 0;
  for (let round = 0; round < maxRoundsPerOperation && Date.now() < deadline; round += 1) {
    for (const operation of operations) {
      if (Date.now() >= deadline) break;
      const request = fuzzRequest(operation, document, random);
      const response = await app.inject({
        method: request.method as 'GET',
        url: request.url,
        // Not the address the admin signs in again from: the fuzz's failed sign-ins would
        // otherwise throttle it (429 rate-limited).
        remoteAddress: fuzzAddress,
        headers: {
          ...headers(),
          ...(request.contentType ? { 'content-type': request.contentType } : {}),
        },
        ...(request.payload !== undefined ? { payload: request.payload } : {}),
      });
      sent += 1;
      if (response.statusCode >= 500) {
        failures.push({
          request: `${request.method} ${request.url.slice(0, 300)} ${String(request.payload ?? '').slice(0, 300)}`,
          status: response.statusCode,
          body: response.body.slice(0, 300),
        });
      }
      // The fuzz may sign the admin out (logout, a password change): sign in again.
      if (response.statusCode === 401) await relogin();
    }
  }
  return { failures, sent };
}

const fuzzAddress = '192.0.2.7';

describeEachDialect('fuzzing every route of the OpenAPI document', (storage) => {
  let app: AwnApp;
  let admin: SignedIn;
  let document: Schema;

  beforeAll(async () => {
    await seedTestAreas(storage().db);
    app = await buildTestApp(storage());
    admin = await loginAs(app, storage(), 'admin');
    const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    document = response.json<Schema>();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers no 5xx to bad input, signed in as an admin and signed out', async () => {
    const random = seededRandom(seed);
    const started = Date.now();
    const signedIn = await fuzzAll(
      app,
      document,
      () => admin.headers,
      async () => {
        admin = await loginAs(app, storage(), 'admin');
      },
      random,
      started + budgetMs * 0.8,
    );
    const signedOut = await fuzzAll(
      app,
      document,
      () => ({ origin: testOrigin }),
      async () => undefined,
      random,
      started + budgetMs,
    );
    expect(operationsOf(document).length).toBeGreaterThan(40);
    expect(signedIn.sent).toBeGreaterThan(operationsOf(document).length);
    expect([...signedIn.failures, ...signedOut.failures]).toEqual([]);
  });
});

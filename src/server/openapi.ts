/**
 * The API document as integrators use it (/api/openapi.json): every operation has an
 * operationId (camelCase verb+noun, the name generated clients give it) and the tag of its
 * module, and lists the problem+json answers its declarations make possible (problems.ts).
 * A route that forgets its operationId or tag cannot register, as one without access cannot.
 */
import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import type { RouteOptions } from 'fastify';
import { problemAnswers, problemTitles } from './problems.js';
import type { AwnApp } from './types.js';

/** One tag per module, in the order the document lists them. */
const tags = [
  { name: 'auth', description: 'Sign-in, sign-out and the signed-in user' },
  { name: 'demo', description: 'The demo server: its published accounts' },
  { name: 'users', description: 'User accounts, roles and scopes (admins)' },
  { name: 'tokens', description: 'API tokens for devices and partner systems' },
  { name: 'audit', description: 'The hash-chained audit log and its verification' },
  { name: 'areas', description: 'Admin areas with OCHA p-codes' },
  { name: 'org units', description: "The organisation's tree of units and the areas each covers" },
  { name: 'partners', description: 'Outside institutions' },
  { name: 'service points', description: 'Places where households redeem' },
  { name: 'households', description: 'The household registry and duplicate review' },
  { name: 'household files', description: 'CSV/XLSX import, export and templates' },
  { name: 'cards', description: 'Ration cards: signed QR payloads and printable sheets' },
  { name: 'commodities', description: 'Goods counted in integer base units' },
  { name: 'programmes', description: 'Rules that turn households into entitlements' },
  {
    name: 'cycles',
    description: 'Rounds of a programme: opening credits entitlements, closing expires them',
  },
  {
    name: 'stock',
    description: 'What every holder holds: service points, warehouses, partners, teams',
  },
  { name: 'warehouses', description: 'Warehouses and their locations' },
  { name: 'donations', description: 'Donors, donations with numbered receipts, donor statements' },
  { name: 'lots', description: "Lots with expiry and quarantine, and a partner's inspection" },
  {
    name: 'allocations',
    description: 'Released stock assigned to a recipient: approve, dispatch (waybill), receive',
  },
  {
    name: 'redemptions',
    description: 'Hand-overs to households, and what they are still entitled to',
  },
  { name: 'volunteers', description: 'Volunteer profiles, their trainings and movement permits' },
  { name: 'trainings', description: 'The trainings catalogue' },
  { name: 'teams', description: 'Volunteers dispatched together' },
  { name: 'runs', description: "Delivery runs: a team's planned stops, dispatch and close" },
  {
    name: 'field',
    description: 'The field app: devices, sync of offline ops, the exception queue',
  },
  {
    name: 'messaging',
    description:
      'The outbox: messages with delivery states, SMS gateway receipts, templates, opt-outs, webhooks, the inbox',
  },
  {
    name: 'circulars',
    description:
      'Circulars cascaded down the org tree with acknowledgement and reach; the public version to households',
  },
  {
    name: 'notices',
    description: "Notices to households by SMS, and citizens' own entitlement check",
  },
  {
    name: 'meetings',
    description: 'Venues sized by distancing, meetings and seminars, registrations and check-in',
  },
];

const operationIdPattern = /^[a-z]+[A-Z][A-Za-z0-9]*$/;

const documentationPrefix = '/api/docs';

function isDocumented(route: RouteOptions): boolean {
  const schema = route.schema as { hide?: boolean } | undefined;
  return schema?.hide !== true && !route.url.startsWith(documentationPrefix);
}

/** Refuses, at registration, a documented route without an operationId or a known tag. */
export function registerOpenApiChecks(app: AwnApp): void {
  const seen = new Map<string, string>();
  const known = new Set(tags.map((tag) => tag.name));
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!isDocumented(route)) return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter(
      (method) => method !== 'HEAD',
    );
    if (methods.length === 0) return;
    const name = `${methods.join(',')} ${route.url}`;
    const schema = (route.schema ?? {}) as { operationId?: unknown; tags?: unknown };
    const { operationId } = schema;
    if (typeof operationId !== 'string' || !operationIdPattern.test(operationId)) {
      throw new Error(
        `route ${name} must declare schema.operationId: a camelCase verb and noun naming the operation for generated clients (e.g. schema: { operationId: 'createHousehold', tags: ['households'], ... })`,
      );
    }
    const previous = seen.get(operationId);
    if (previous !== undefined && previous !== name) {
      throw new Error(`route ${name} repeats the operationId '${operationId}' of ${previous}`);
    }
    seen.set(operationId, name);
    const routeTags = schema.tags;
    if (
      !Array.isArray(routeTags) ||
      routeTags.length !== 1 ||
      !routeTags.every((tag) => typeof tag === 'string' && known.has(tag))
    ) {
      throw new Error(
        `route ${name} must declare schema.tags: its module's one tag, from the list in src/server/openapi.ts (e.g. tags: ['households']; add a tag there for a new module)`,
      );
    }
  });
}

interface TransformInput {
  schema: Record<string, unknown>;
  url: string;
  route: RouteOptions;
}

/** Adds each operation's problem+json answers, derived from its declarations. */
function addProblemAnswers({ schema, url, route }: TransformInput) {
  if (!schema || schema.hide) return { schema, url };
  const method = (Array.isArray(route.method) ? route.method : [route.method]).find(
    (each) => each !== 'HEAD',
  );
  const answers = problemAnswers({
    method: method ?? 'GET',
    url: route.url,
    access: route.config?.access,
    hasBody: schema.body !== undefined,
    hasInput:
      schema.body !== undefined || schema.querystring !== undefined || schema.params !== undefined,
  });
  const response: Record<string, unknown> = { ...(schema.response as object | undefined) };
  // File downloads (templates, exports, card sheets) declare no body schema to serialise with.
  if (!Object.keys(response).some((status) => status.startsWith('2'))) {
    response[200] = { description: 'The requested file, as the Accept header and the path name' };
  }
  for (const [status, codes] of answers) {
    const named = codes.map((code) => `\`${code}\``).join(', ');
    response[status] = {
      description: `${problemTitles[status] ?? 'Error'}: ${named || 'a `code` naming the state that refuses the request'}`,
      content: {
        'application/problem+json': {
          schema:
            codes.length === 0
              ? { $ref: 'Problem#' }
              : {
                  allOf: [
                    { $ref: 'Problem#' },
                    { type: 'object', properties: { code: { type: 'string', enum: codes } } },
                  ],
                },
        },
      },
    };
  }
  return { schema: { ...schema, response }, url };
}

export const openApiOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Awn API',
      version: '1',
      description:
        'Awn (عون): households, ration cards, entitlements and their redemption on one double-entry ledger. Errors are RFC 9457 problem+json with a stable `code`.',
      license: { name: 'AGPL-3.0-or-later', url: 'https://www.gnu.org/licenses/agpl-3.0.html' },
    },
    servers: [{ url: '/', description: 'The Awn server that serves this document' }],
    tags,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'awn_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { bearer: [] }],
  },
  transform: addProblemAnswers as unknown as SwaggerTransform,
  // Shared schemas keep their $id as their name (`Problem`), not `def-0`.
  refResolver: {
    buildLocalReference: (json, _baseUri, _fragment, index) =>
      typeof json.$id === 'string' ? json.$id : `def-${index}`,
  },
};

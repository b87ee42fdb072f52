/** Fastify assembly: schemas and OpenAPI, request ids, access control, the one error handler. */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Storage } from '../db/connect.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { registerAccess } from './access.js';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
  type FieldIssue,
} from '../shared/errors.js';
import { registerMetrics } from './metrics.js';
import { Problem } from '../shared/schema.js';
import { moduleRoutes } from './routes.js';
import type { AwnApp } from './types.js';
import { webRoutes } from './web.js';

export type { Access, AppContext, AwnApp } from './types.js';

export interface AppOptions {
  storage: Storage;
  clock?: Clock;
  demo?: boolean;
  /** Pino logger options, or false for none (tests). */
  logger?: boolean | { level: string };
  /** Set behind TLS so session cookies are marked Secure. */
  secureCookies?: boolean;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the whole HTTP application over an open storage; the caller listens and closes. */
export async function buildApp(options: AppOptions): Promise<AwnApp> {
  const app = Fastify({
    logger:
      options.logger === false || options.logger === undefined
        ? false
        : {
            level: options.logger === true ? 'info' : options.logger.level,
            // Only method, path and ids are logged: query strings can hold names and phones.
            serializers: {
              req: (request: FastifyRequest) => ({
                method: request.method,
                path: request.url.split('?')[0],
                id: request.id,
              }),
              res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
            },
          },
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    ajv: {
      customOptions: {
        allErrors: true,
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
      },
    },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('awn', {
    storage: options.storage,
    clock: options.clock ?? systemClock,
    demo: options.demo ?? false,
    secureCookies: options.secureCookies ?? false,
  });
  app.decorateRequest('actor', null);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(cookie);
  // After the cookie parser (its hook must run first) and before any route, plugins'
  // included, so that every route must declare its access.
  registerAccess(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Awn API',
        version: '1',
        description:
          'Awn (عون): households, ration cards, entitlements and their redemption on one double-entry ledger. Errors are RFC 9457 problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'awn_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  app.addSchema(Problem);
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );

  registerMetrics(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, request, 404, 'not-found', 'No such route.');
  });

  app.get(
    '/healthz',
    { schema: { hide: true }, config: { access: 'public' } },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(app.awn.storage.db);
        return { status: 'ok', demo: app.awn.demo };
      } catch {
        return reply.code(503).send({ status: 'unavailable' });
      }
    },
  );

  await app.register(moduleRoutes, { prefix: '/api/v1' });
  await app.register(webRoutes);
  return app;
}

const statusByClass: [new (...args: never[]) => AppError, number][] = [
  [ValidationError, 400],
  [UnauthorizedError, 401],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [RateLimitedError, 429],
];

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `/problems/${code}`,
      title: titles[status] ?? 'Error',
      status,
      code,
      detail,
      instance: request.id,
      ...extra,
    });
}

function handleError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof AppError) {
    const status = statusByClass.find(([type]) => error instanceof type)?.[1] ?? 400;
    if (error instanceof RateLimitedError)
      reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(reply, request, status, error.code, error.message, error.extra);
  }
  if (error.validation) {
    const issues: FieldIssue[] = error.validation.map((issue) => {
      const params = issue.params as Record<string, unknown>;
      const base = `${error.validationContext ?? 'body'}${issue.instancePath}`;
      if (typeof params.missingProperty === 'string')
        return { path: `${base}/${params.missingProperty}`, message: 'is required' };
      if (typeof params.additionalProperty === 'string')
        return { path: `${base}/${params.additionalProperty}`, message: 'is not a known field' };
      return { path: base, message: issue.message ?? 'is invalid' };
    });
    return sendProblem(
      reply,
      request,
      400,
      'validation-failed',
      'The request has invalid fields.',
      { errors: issues },
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(reply, request, 413, 'body-too-large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendProblem(
        reply,
        request,
        415,
        'unsupported-media-type',
        'This content type is not accepted here.',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendProblem(reply, request, 400, 'invalid-json', 'The body is not valid JSON.');
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return sendProblem(
      reply,
      request,
      error.statusCode,
      'bad-request',
      'The request could not be processed.',
    );
  }
  // Only the request id leaves the server; the message stays in the log (no personal data in it).
  request.log.error(
    { err: { type: error.name, message: error.message, stack: error.stack } },
    'unhandled error',
  );
  return sendProblem(
    reply,
    request,
    500,
    'internal',
    'Something went wrong; quote the instance id to an administrator.',
  );
}

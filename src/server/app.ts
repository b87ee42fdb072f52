/** Fastify assembly: schemas and OpenAPI, request ids, access control, the one error handler. */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { sql } from 'kysely';
import type { Storage } from '../db/connect.js';
import { uniqueViolationOf } from '../db/errors.js';
import { defaultThrottleLimits } from '../modules/auth/login-throttle.js';
import {
  messagingConfigFromEnv,
  type MessagingConfig,
} from '../modules/messaging/messaging.config.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { foregroundEnded, foregroundStarted } from '../shared/pacing.js';
import { registerAccess } from './access.js';
import {
  AppError,
  conflictForUniqueViolation,
  RateLimitedError,
  type FieldIssue,
} from '../shared/errors.js';
import { registerMetrics } from './metrics.js';
import { openApiOptions, registerOpenApiChecks } from './openapi.js';
import { fallbackProblems, frameworkProblems, sendProblem, statusOf } from './problems.js';
import { Problem } from '../shared/schema.js';
import { buildValidator } from './validation.js';
import { moduleRoutes } from './routes.js';
import { closeRoutingPool } from '../modules/routing/routing.worker.js';
import type { AwnApp, SignInLimits } from './types.js';
import { webRoutes } from './web.js';

export type { Access, AppContext, AwnApp } from './types.js';
export { sendProblem } from './problems.js';

export interface AppOptions {
  storage: Storage;
  clock?: Clock;
  demo?: boolean;
  /** Pino logger options (and where lines go, standard output by default), or false for none. */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /**
   * Always mark session cookies Secure. Without it they are Secure when the request came over
   * HTTPS (directly, or through a trusted proxy that says so in X-Forwarded-Proto).
   */
  secureCookies?: boolean;
  /**
   * Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto
   * are believed (the client's address and scheme); none by default.
   */
  trustedProxies?: readonly string[];
  /** Addresses or CIDR ranges that may read /metrics without signing in (admins always may). */
  metricsAddresses?: readonly string[];
  /** Sign-in limits (tests shorten them). */
  throttleLimits?: SignInLimits;
  /** The outbox's settings (messagingConfigFromEnv() by default). */
  messaging?: MessagingConfig;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** Swagger UI's scripts are files of its own; its styles include inline ones. Never framed. */
const documentationPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Builds the whole HTTP application over an open storage; the caller listens and closes. */
export async function buildApp(options: AppOptions): Promise<AwnApp> {
  const app = Fastify({
    logger:
      options.logger === false || options.logger === undefined
        ? false
        : {
            level: options.logger === true ? 'info' : options.logger.level,
            ...(options.logger !== true && options.logger.stream
              ? { stream: options.logger.stream }
              : {}),
            // One line per request, written when it is answered (below): method, path (never
            // the query string, which can hold names and phones), status and time.
            serializers: {
              req: (request: FastifyRequest) => ({
                method: request.method,
                path: request.url.split('?')[0],
                id: request.id,
              }),
              res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
            },
          },
    // Fastify's own two lines per request are off; the onResponse hook below writes one.
    logController: new LogController({ disableRequestLogging: true }),
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
    // The text rule on every string and no non-finite number, for every route (validation.ts).
    schemaController: { compilersFactory: { buildValidator: buildValidator() } },
    return503OnClosing: true,
    trustProxy: options.trustedProxies?.length ? [...options.trustedProxies] : false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Long jobs' slices wait while other requests are being answered (shared/pacing.ts).
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config.background !== true) {
      foregroundStarted();
      reply.raw.once('close', foregroundEnded);
    }
    done();
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        time_ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });

  app.decorate('awn', {
    storage: options.storage,
    clock: options.clock ?? systemClock,
    demo: options.demo ?? false,
    secureCookies: options.secureCookies ?? false,
    throttleLimits: options.throttleLimits ?? defaultThrottleLimits,
    messaging: options.messaging ?? messagingConfigFromEnv(),
  });
  app.decorateRequest('actor', null);
  // The routing threads (started by the first plan) end with the app.
  app.addHook('onClose', async () => closeRoutingPool());
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    // API answers may hold personal data: no cache keeps them (the docs' static files may).
    if (request.url.startsWith('/api/') && !request.url.startsWith('/api/docs/static/')) {
      reply.header('cache-control', 'no-store');
    }
  });

  await app.register(cookie);
  // After the cookie parser (its hook must run first) and before any route, plugins'
  // included, so that every route must declare its access.
  registerAccess(app);
  registerOpenApiChecks(app);
  await app.register(swagger, openApiOptions);
  app.addSchema(Problem);
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: documentationPolicy });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );

  registerMetrics(app, options.metricsAddresses ?? []);
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

function handleError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof AppError) {
    const status = statusOf(error);
    if (error instanceof RateLimitedError)
      reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(reply, request, status, error.code, error.message, error.extra);
  }
  const unique = uniqueViolationOf(error);
  if (unique) {
    const conflict = conflictForUniqueViolation(unique);
    return sendProblem(reply, request, 409, conflict.code, conflict.message);
  }
  if (error.validation) {
    const issues: FieldIssue[] = error.validation.map((issue) => {
      const params = issue.params as Record<string, unknown>;
      const base = `${error.validationContext ?? 'body'}${issue.instancePath}`;
      if (typeof params.missingProperty === 'string')
        return {
          path: `${base}/${params.missingProperty}`,
          message: 'is required',
          code: 'required',
        };
      if (typeof params.additionalProperty === 'string')
        return {
          path: `${base}/${params.additionalProperty}`,
          message: 'is not a known field',
          code: 'unknown-field',
        };
      return {
        path: base,
        message: issue.message ?? 'is invalid',
        ...ruleOf(issue.keyword, params),
      };
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
  const framework = error.code ? frameworkProblems[error.code] : undefined;
  if (framework) {
    return sendProblem(reply, request, framework.status, framework.code, framework.detail);
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    const { code, detail } = fallbackProblems.badRequest;
    return sendProblem(reply, request, error.statusCode, code, detail);
  }
  // Only the request id leaves the server; the message stays in the log (no personal data in it).
  request.log.error(
    { err: { type: error.name, message: error.message, stack: error.stack } },
    'unhandled error',
  );
  const { status, code, detail } = fallbackProblems.internal;
  return sendProblem(reply, request, status, code, detail);
}

/** Ajv keywords as the stable rule codes clients word themselves, with the rule's limit. */
const ruleCodes: Record<string, string> = {
  minLength: 'too-short',
  maxLength: 'too-long',
  minimum: 'too-small',
  exclusiveMinimum: 'too-small',
  maximum: 'too-large',
  exclusiveMaximum: 'too-large',
  minItems: 'too-few',
  maxItems: 'too-many',
  uniqueItems: 'repeated',
  pattern: 'pattern',
  format: 'format',
  enum: 'not-allowed',
  const: 'not-allowed',
  type: 'invalid-type',
  finite: 'invalid-type',
};

function ruleOf(
  keyword: string,
  params: Record<string, unknown>,
): Pick<FieldIssue, 'code' | 'params'> {
  const code = ruleCodes[keyword];
  if (!code) return {};
  const limit = params.limit;
  if (typeof limit === 'number') return { code, params: { limit } };
  if (typeof params.format === 'string') return { code, params: { format: params.format } };
  return { code };
}

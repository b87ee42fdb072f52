/**
 * Every problem+json answer the API gives, declared once: the status of each typed error class
 * and the codes it carries by default, and the framework's own refusals. The one error handler
 * (app.ts) answers from these tables, and the API document (openapi.ts) lists, per operation,
 * the answers its declarations (access, method, parameters, body) make possible.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
  type AppError,
} from '../shared/errors.js';

export interface ProblemClass {
  type: abstract new (...args: never[]) => AppError;
  status: number;
  /** The codes it answers with unless the service names a more precise one. */
  codes: readonly string[];
}

/** Typed errors thrown by services and access control, most specific first. */
export const problemClasses: readonly ProblemClass[] = [
  { type: ValidationError, status: 400, codes: ['validation-failed'] },
  { type: UnauthorizedError, status: 401, codes: ['unauthenticated'] },
  { type: ForbiddenError, status: 403, codes: ['forbidden', 'csrf-rejected'] },
  { type: NotFoundError, status: 404, codes: ['not-found'] },
  { type: ConflictError, status: 409, codes: [] },
  { type: RateLimitedError, status: 429, codes: ['rate-limited'] },
];

/** Fastify's own refusals of a request, by its error code. */
export const frameworkProblems: Readonly<
  Record<string, { status: number; code: string; detail: string }>
> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'body-too-large',
    detail: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported-media-type',
    detail: 'This content type is not accepted here.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'invalid-json',
    detail: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'invalid-json',
    detail: 'The body is not valid JSON.',
  },
};

/** Any other 4xx the framework raises, and an unexpected failure. */
export const fallbackProblems = {
  badRequest: { code: 'bad-request', detail: 'The request could not be processed.' },
  internal: {
    status: 500,
    code: 'internal',
    detail: 'Something went wrong; quote the instance id to an administrator.',
  },
} as const;

export const problemTitles: Readonly<Record<number, string>> = {
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

/** The status the handler answers an AppError with. */
export function statusOf(error: AppError): number {
  return problemClasses.find(({ type }) => error instanceof type)?.status ?? 400;
}

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
      title: problemTitles[status] ?? 'Error',
      status,
      code,
      detail,
      instance: request.id,
      ...extra,
    });
}

/** What the API document needs to know of a route to list its problem answers. */
export interface RouteShape {
  method: string;
  url: string;
  access: unknown;
  hasBody: boolean;
  hasInput: boolean;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function codesOf(type: ProblemClass['type']): readonly string[] {
  return problemClasses.find((entry) => entry.type === type)?.codes ?? [];
}

function frameworkCodes(status: number): string[] {
  return [
    ...new Set(
      Object.values(frameworkProblems)
        .filter((problem) => problem.status === status)
        .map((problem) => problem.code),
    ),
  ];
}

/**
 * The problem answers a route can give, as status -> codes, from its declarations: input
 * validated (400), access not public (401), a permission (403 forbidden) or a write (403
 * csrf-rejected), a path parameter (404), a write refused by the current state (409, the
 * service names the code), a body (413, 415) and any failure (500).
 */
export function problemAnswers(route: RouteShape): Map<number, readonly string[]> {
  const answers = new Map<number, readonly string[]>();
  const write = unsafeMethods.has(route.method);
  if (route.hasInput || route.hasBody) {
    answers.set(400, [...codesOf(ValidationError), ...(route.hasBody ? frameworkCodes(400) : [])]);
  }
  if (route.access !== 'public') answers.set(401, codesOf(UnauthorizedError));
  const forbidden = [
    ...(route.access !== 'public' && route.access !== 'authenticated' ? ['forbidden'] : []),
    ...(write ? ['csrf-rejected'] : []),
  ];
  if (forbidden.length > 0) answers.set(403, forbidden);
  if (route.url.includes(':')) answers.set(404, codesOf(NotFoundError));
  if (write) answers.set(409, codesOf(ConflictError));
  if (route.hasBody) {
    answers.set(413, frameworkCodes(413));
    answers.set(415, frameworkCodes(415));
  }
  answers.set(500, [fallbackProblems.internal.code]);
  return answers;
}

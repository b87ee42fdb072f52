/**
 * The few typed errors services throw, each with a stable machine code. They carry no HTTP:
 * the one error handler in app.ts maps each class to a status and a problem+json body.
 * Expected per-item rejections in bulk calls are values, not these.
 */

export interface FieldIssue {
  /** JSON pointer of the bad field, e.g. "/items/0/quantity", or "row 7, column phone". */
  path: string;
  message: string;
  /** The rule broken, stable (e.g. `required`, `too-long`), for clients to word it themselves. */
  code?: string;
  /** The rule's own values, e.g. `{ limit: 12 }` for a minimum length. */
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Extra members of the problem body (never personal data). */
    readonly extra: Record<string, unknown> = {},
  ) {
    // An expected outcome, answered as a problem and never logged with a stack: capturing
    // one costs more than the rest of a refusal (a flood of 429s spent most of its time here).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = new.target.name;
  }
}

/** The input is malformed; `issues` name each bad field. */
export class ValidationError extends AppError {
  constructor(
    readonly issues: FieldIssue[],
    message = 'The request has invalid fields.',
  ) {
    super('validation-failed', message, { errors: issues });
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'unauthenticated', message = 'Sign in first.') {
    super(code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'forbidden', message = 'Your role may not do this.') {
    super(code, message);
  }
}

/** Also used for things outside the actor's scope, so that their existence does not leak. */
export class NotFoundError extends AppError {
  constructor(entity: string, code = 'not-found') {
    super(code, `No such ${entity}.`);
  }
}

/** The request is well formed but the current state refuses it (409). */
export class ConflictError extends AppError {}

/**
 * The 409 a unique violation answers when a check-first service lost a race (PostgreSQL lets
 * two transactions pass the check together): the same problem the check answers, by the table
 * and columns the database names; any other is a generic `already-exists`.
 */
const conflictsByKey: Record<string, [code: string, message: string]> = {
  'commodities.code': ['commodity-exists', 'A commodity with this code exists.'],
  'programmes.code': ['programme-exists', 'A programme with this code exists.'],
  'areas.pcode': ['area-exists', 'An area with this p-code already exists.'],
  'areas.path': ['area-exists', 'An area with this p-code already exists.'],
  'users.username': ['username-taken', 'This username is already in use.'],
  'households.national_id': ['duplicate-national-id', 'This national id is already registered.'],
  'households.card_number': ['duplicate-card-number', 'This card number is already issued.'],
  'cards.card_number': ['duplicate-card-number', 'This card number is already issued.'],
};

export function conflictForUniqueViolation(violation: {
  table: string | null;
  columns: readonly string[];
}): ConflictError {
  const known = conflictsByKey[`${violation.table ?? ''}.${violation.columns.join(',')}`];
  return known
    ? new ConflictError(...known)
    : new ConflictError(
        'already-exists',
        'This record was created meanwhile by another request; reload and try again.',
      );
}

/** Too many attempts (429, with Retry-After). */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    code = 'rate-limited',
    message = 'Too many attempts; wait and try again.',
  ) {
    super(code, message, { retry_after_seconds: retryAfterSeconds });
  }
}

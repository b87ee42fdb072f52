/** Turns API problems into plain words in the user's language: a message, and errors per field. */
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

/** The translated sentence for a problem's `code`, falling back to a generic one that names it. */
export function problemMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    // A record outside the user's scope is never named; the message says so instead.
    const suffix = error.body.outside_scope === true ? '-outside-scope' : '';
    const known =
      (suffix && t(`problems.${error.code}${suffix}`, { defaultValue: '' })) ||
      t(`problems.${error.code}`, { defaultValue: '' });
    if (known) return known;
    if (error.status === 409) return t('problems.conflict');
    if (error.status === 403) return t('problems.forbidden');
    if (error.status === 404) return t('problems.not-found');
    return t('problems.unknown', { code: error.code });
  }
  return t('problems.unknown', { code: error instanceof Error ? error.name : 'error' });
}

/**
 * The field a problem path points at: "body/head_given_name", "/members/0/name" and
 * "head_given_name" all become "head_given_name" / "members.0.name".
 */
export function fieldOfPath(path: string): string {
  return path
    .replace(/^(body|querystring|params)(?=\/|$)/u, '')
    .replace(/^\/+/u, '')
    .split('/')
    .filter(Boolean)
    .join('.');
}

/** One translated message per field, from a validation problem's `errors[]`. */
export function fieldErrors(t: TFunction, error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!(error instanceof ApiError)) return result;
  for (const issue of error.errors) {
    const field = fieldOfPath(issue.path);
    if (result[field]) continue;
    const byCode = issue.code ? t(`fieldErrors.${issue.code}`, { defaultValue: '' }) : '';
    const byMessage = t(`fieldErrors.${issue.message}`, { defaultValue: '' });
    result[field] = byCode || byMessage || t('fieldErrors.invalid');
  }
  return result;
}

/** Turns API problems into plain words in the user's language: a message, and errors per field. */
import type { TFunction } from 'i18next';
import { inDigitStyle } from '../../../src/shared/digits.js';
import { ApiError, type FieldError } from '../api/client';
import { loadSettings } from './settings';

/** The translated sentence for a problem's `code`, falling back to a generic one that names it. */
export function problemMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    // A record outside the user's scope is never named; the message says so instead.
    if (error.code === 'validation-failed' && error.errors.length > 0) {
      const named = error.errors.map((issue) => {
        const label = fieldLabel(t, issue.path);
        return label ? `${label}: ${fieldMessage(t, issue)}` : fieldMessage(t, issue);
      });
      return `${t('problems.validation-failed')} ${[...new Set(named)].join(' ')}`;
    }
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

/**
 * The plain-words message for one field error, in one place: by the rule's code, first as said
 * of this field (`fieldErrors.pattern_code`), then in general (`fieldErrors.too-short`, with the
 * rule's limit), then by the server's English message for older answers, then "invalid".
 */
export function fieldMessage(t: TFunction, issue: FieldError): string {
  const field = fieldOfPath(issue.path).split('.')[0] ?? '';
  const params = issue.params ?? {};
  const { language, digits } = loadSettings();
  // Numbers in the rule (a minimum length) are shown in the digits the user chose.
  const shown = Object.fromEntries(
    Object.entries(params).map(([key, value]) => [
      key,
      typeof value === 'number' && language === 'ar' ? inDigitStyle(String(value), digits) : value,
    ]),
  );
  // A minimum length of one is "required" in plain words.
  const code = issue.code === 'too-short' && params.limit === 1 ? 'required' : issue.code;
  const format = typeof params.format === 'string' ? params.format : '';
  const keys = code
    ? [
        `fieldErrors.${code}_${field}`,
        ...(format ? [`fieldErrors.${code}_${format}`] : []),
        `fieldErrors.${code}`,
      ]
    : [];
  for (const key of [...keys, `fieldErrors.${issue.message}`]) {
    const text = t(key, { ...shown, defaultValue: '' });
    if (text) return text;
  }
  return t('fieldErrors.invalid');
}

/** A field's name in plain words (`fields.ends_on`), or null when it has none. */
export function fieldLabel(t: TFunction, path: string): string | null {
  const field = fieldOfPath(path).split('.')[0] ?? '';
  return field ? t(`fields.${field}`, { defaultValue: '' }) || null : null;
}

/**
 * One translated message per field, from a validation problem's `errors[]`, under its full path
 * ("members.0.name") and under its top field ("area_pcodes" for "area_pcodes.1") too.
 */
export function fieldErrors(t: TFunction, error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!(error instanceof ApiError)) return result;
  for (const issue of error.errors) {
    const field = fieldOfPath(issue.path);
    const top = field.split('.')[0] ?? field;
    const message = fieldMessage(t, issue);
    result[field] ??= message;
    result[top] ??= message;
  }
  return result;
}

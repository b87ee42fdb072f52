/**
 * The search and matching keys derived from a head of household's names. Everything goes through
 * `normalizeArabic`/`nameTokens`, so keys stay valid only while those are stable.
 */
import type { BlockingKey } from '../../domain/matching/duplicates.js';
import { nameTokens, normalizeArabic } from '../../domain/text/arabic.js';

export interface HeadNames {
  head_given_name: string;
  head_father_name: string;
  head_grandfather_name: string | null;
  head_family_name: string;
  head_name_latin: string | null;
}

/** The head's Arabic full name in the usual order, grandfather included when known. */
export function fullName(names: HeadNames): string {
  return [
    names.head_given_name,
    names.head_father_name,
    names.head_grandfather_name,
    names.head_family_name,
  ]
    .filter((part): part is string => part !== null && part !== '')
    .join(' ');
}

export interface NameKeys extends Record<BlockingKey, string> {
  full_name_normalized: string;
  family_key: string;
  /** Distinct tokens of the Arabic and Latin names: the rows of household_name_tokens. */
  tokens: string[];
}

/** Tokens longer than this are cut: an index key needs no more to be selective. */
const MAX_TOKEN_LENGTH = 40;

const ARTICLE = /^ال(?=\p{L}{2})/u;

/** The token without a leading definite article ("الخطيب" -> "خطيب"); others unchanged. */
export function withoutArticle(token: string): string {
  return token.replace(ARTICLE, '');
}

function compact(text: string): string {
  return nameTokens(text).join('');
}

/** The family name without a leading definite article, so "الخطيب" and "خطيب" block together. */
function familyKey(family: string): string {
  return withoutArticle(compact(family));
}

/** Returns the normalised full name, the duplicate-blocking keys and the search tokens. */
export function nameKeys(names: HeadNames): NameKeys {
  const arabic = fullName(names);
  const tokens = new Set<string>();
  for (const token of [...nameTokens(arabic), ...nameTokens(names.head_name_latin ?? '')]) {
    const cut = Array.from(token).slice(0, MAX_TOKEN_LENGTH).join('');
    tokens.add(cut);
    // Also without the article, so a search for "خطيب" finds "الخطيب".
    tokens.add(withoutArticle(cut));
  }
  const given = compact(names.head_given_name);
  const father = compact(names.head_father_name);
  const family = familyKey(names.head_family_name);
  return {
    full_name_normalized: normalizeArabic(arabic),
    family_key: family,
    given_father_key: `${given} ${father}`,
    family_given_key: `${family} ${given}`,
    family_father_key: `${family} ${father}`,
    tokens: [...tokens],
  };
}

/**
 * The tokens of a search text. The last one is matched as a prefix (the user may still be
 * typing) and kept as typed; the others are whole words, matched without their article (every
 * stored token is also stored without it), so "الخطيب" and "خطيب" find each other.
 */
export function searchTokens(query: string): string[] {
  const tokens = nameTokens(query).map((token) =>
    Array.from(token).slice(0, MAX_TOKEN_LENGTH).join(''),
  );
  const last = tokens.pop();
  if (last === undefined) return [];
  const words = tokens.map(withoutArticle).filter((token) => token !== last);
  return [...new Set(words), last];
}

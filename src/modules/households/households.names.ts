/**
 * The search and matching keys derived from a head of household's names. Everything goes through
 * `normalizeArabic`/`nameTokens`, so keys stay valid only while those are stable.
 */
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

/** The keys that put two households in one block for duplicate comparison. */
export const blockingKeys = ['given_father_key', 'family_given_key', 'family_father_key'] as const;
export type BlockingKey = (typeof blockingKeys)[number];

export interface NameKeys extends Record<BlockingKey, string> {
  full_name_normalized: string;
  family_key: string;
  /** Distinct tokens of the Arabic and Latin names: the rows of household_name_tokens. */
  tokens: string[];
}

/** Tokens longer than this are cut: an index key needs no more to be selective. */
const MAX_TOKEN_LENGTH = 40;

function compact(text: string): string {
  return nameTokens(text).join('');
}

/** The family name without a leading definite article, so "الخطيب" and "خطيب" block together. */
function familyKey(family: string): string {
  return compact(family).replace(/^ال(?=\p{L}{2})/u, '');
}

/** Returns the normalised full name, the duplicate-blocking keys and the search tokens. */
export function nameKeys(names: HeadNames): NameKeys {
  const arabic = fullName(names);
  const tokens = new Set<string>();
  for (const token of [...nameTokens(arabic), ...nameTokens(names.head_name_latin ?? '')]) {
    tokens.add(Array.from(token).slice(0, MAX_TOKEN_LENGTH).join(''));
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

/** The tokens of a search text; the last one is matched as a prefix (the user may still be typing). */
export function searchTokens(query: string): string[] {
  return [
    ...new Set(
      nameTokens(query).map((token) => Array.from(token).slice(0, MAX_TOKEN_LENGTH).join('')),
    ),
  ];
}

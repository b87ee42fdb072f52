/**
 * Arabic text normalisation for search and duplicate detection.
 *
 * `normalizeArabic` is the single normalisation used for every name and search key: if two
 * spellings of a name should find each other, they must normalise to the same string here,
 * and stored keys stay valid only while this function is stable (change it with a re-index).
 */

/** Harakat and other Arabic marks that do not change which name is meant. */
const ARABIC_MARKS = '\\u064B-\\u065F\\u0670\\u06D6-\\u06ED';
/** Bidi controls and zero-width characters: pasted text often carries them invisibly. */
const INVISIBLE_MARKS = '\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2066-\\u2069\\uFEFF';
/** Latin combining accents (as left by NFKD), folded so "José" finds "Jose". */
const LATIN_ACCENTS = '\\u0300-\\u036F';
const TATWEEL = '\\u0640';

const REMOVABLE = new RegExp(`[${ARABIC_MARKS}${INVISIBLE_MARKS}${LATIN_ACCENTS}${TATWEEL}]`, 'gu');
const ARABIC_TASHKEEL = new RegExp(`[${ARABIC_MARKS}${TATWEEL}]`, 'u');

/**
 * Letter forms that people write interchangeably in names. The hamza seats (أ إ آ ؤ ئ) are
 * already reduced to their bare letters by NFKD + mark removal; they are listed as well so the
 * table reads as the full rule, and the Persian/Urdu keyboard letters are folded to Arabic ones.
 */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا', // alef wasla
  ى: 'ي', // alef maksura
  ة: 'ه', // teh marbuta
  ؤ: 'و',
  ئ: 'ي',
  ی: 'ي', // Farsi yeh (Persian keyboards)
  ک: 'ك', // keheh (Persian keyboards)
  ۀ: 'ه', // heh with yeh above
  ە: 'ه', // what NFKD leaves of heh with yeh above
  ہ: 'ه', // heh goal (Urdu keyboards)
};
const LETTER_FOLD_PATTERN = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'gu');

const ARABIC_INDIC_ZERO = 0x0660;
const PERSIAN_ZERO = 0x06f0;
const NON_ASCII_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/gu;

/** Arabic comma and semicolon separate words like a space does; control characters too. */
const SEPARATORS = /[\u060C\u061B\p{Cc}]/gu;
const WHITESPACE_RUN = /\s+/gu;
/** Three or more of the same letter is elongation ("احمممد"); two may be a real double letter. */
const ELONGATION = /(\p{L})\1{2,}/gu;

/**
 * Words that begin a compound name and are written both joined and apart ("عبد الله" /
 * "عبدالله"); a token made only of them joins the next token. "ام" is deliberately absent:
 * it is also an ordinary word ("or", "mother of") and joining it would merge unrelated words.
 */
const COMPOUND_PREFIX = /^(?:عبد|ابو)+$/u;
/** Words that end a compound name ("نور الدين", "سيف الله"); they join the previous token. */
const COMPOUND_SUFFIXES: ReadonlySet<string> = new Set(['الله', 'الدين']);

/** Returns the text with Arabic-Indic and Persian digits made ASCII; nothing else changes. */
export function toAsciiDigits(text: string): string {
  return text.replace(NON_ASCII_DIGIT, (digit) => {
    const codePoint = digit.codePointAt(0) ?? 0;
    const zero = codePoint >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO;
    return String(codePoint - zero);
  });
}

/** Joins compound-name parts written apart, so "عبد الله" and "عبدالله" give one token. */
function joinCompoundNames(text: string): string {
  const joined: string[] = [];
  let joinNext = false;
  for (const token of text.split(' ')) {
    const previous = joined.length - 1;
    if (previous >= 0 && (joinNext || COMPOUND_SUFFIXES.has(token))) {
      joined[previous] += token;
    } else {
      joined.push(token);
    }
    // A prefix chain ("ابو" + "عبد") keeps absorbing, so "ابو عبد الرحمن" and
    // "ابو عبدالرحمن" both become "ابوعبدالرحمن".
    joinNext = COMPOUND_PREFIX.test(joined[joined.length - 1] ?? '');
  }
  return joined.join(' ');
}

/**
 * Returns the one search/matching form of a text: idempotent, free of tashkeel, tatweel, bidi and
 * zero-width marks, with unified letter forms, ASCII digits, lowercase Latin, single spaces and
 * compound names joined.
 */
export function normalizeArabic(text: string): string {
  // NFKD (not just NFKC) turns presentation forms and ligatures (ﻻ, ﷲ, ﺃﺣﻤﺪ) into plain letters
  // and also splits hamza seats and accents into base + mark, so one mark removal covers both.
  // Lowercasing sits between two NFKD passes because either can expose work for the other.
  let result = text.normalize('NFKD').toLowerCase().normalize('NFKD');
  result = result.replace(REMOVABLE, '');
  result = result.replace(LETTER_FOLD_PATTERN, (letter) => LETTER_FOLDS[letter] ?? letter);
  result = toAsciiDigits(result);
  result = result.replace(SEPARATORS, ' ').replace(WHITESPACE_RUN, ' ').trim();
  // Joining can create a new elongated run ("عبد" + "دد…") and collapsing can create a new
  // compound prefix, so repeat until neither changes anything; each pass only shortens the text.
  let previous: string;
  do {
    previous = result;
    result = joinCompoundNames(result.replace(ELONGATION, '$1'));
  } while (result !== previous);
  // Recompose what remains (e.g. Hangul, other scripts' marks) so output is in NFC.
  return result.normalize('NFC');
}

/** True when the text contains Arabic tashkeel or tatweel (what `normalizeArabic` removes). */
export function hasTashkeel(text: string): boolean {
  return ARABIC_TASHKEEL.test(text);
}

/** Punctuation and symbols split name tokens; apostrophes are dropped ("O'Brien" is one token). */
const APOSTROPHES = /['\u2018\u2019\u02BC`]/gu;
const PUNCTUATION_OR_SYMBOL = /[\p{P}\p{S}]/gu;

/** Returns the normalised tokens of a name in order (repeats kept); punctuation splits tokens. */
export function nameTokens(text: string): string[] {
  // Normalise first so compatibility forms (＇, ⑴) are plain punctuation before it is removed,
  // then again so the new spaces are folded and compound names rejoined.
  const cleaned = normalizeArabic(text)
    .replace(APOSTROPHES, '')
    .replace(PUNCTUATION_OR_SYMBOL, ' ');
  const normalized = normalizeArabic(cleaned);
  return normalized === '' ? [] : normalized.split(' ');
}

/** Returns the Jaro-Winkler similarity in [0,1] of two strings, compared by code point. */
export function jaroWinkler(first: string, second: string): number {
  const a = Array.from(first);
  const b = Array.from(second);
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;

  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const start = Math.max(0, i - window);
    const end = Math.min(b.length - 1, i + window);
    for (let j = start; j <= end; j++) {
      if (!bMatched[j] && a[i] === b[j]) {
        aMatched[i] = true;
        bMatched[j] = true;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;

  // Half the number of matched characters that appear in a different order.
  let outOfOrder = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) outOfOrder++;
    j++;
  }
  const transpositions = outOfOrder / 2;
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions) / matches) / 3;

  // Winkler's boost: typists get the start of a name right more often than the end.
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) {
    prefix++;
  }
  return Math.min(1, jaro + prefix * 0.1 * (1 - jaro));
}

/** Returns the Levenshtein edit distance between two strings, by code point. */
export function levenshtein(first: string, second: string): number {
  const a = Array.from(first);
  const b = Array.from(second);
  let previousRow = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previousRow[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      const deletion = (previousRow[j] ?? 0) + 1;
      const insertion = (row[j - 1] ?? 0) + 1;
      row.push(Math.min(substitution, deletion, insertion));
    }
    previousRow = row;
  }
  return previousRow[b.length] ?? 0;
}

/** The definite article, often added or dropped in family names ("الخطيب" / "خطيب"). */
const DEFINITE_ARTICLE = /^ال(?=\p{L}{2})/u;

/**
 * Below this Jaro-Winkler score two tokens are different names, not a misspelling: short names
 * sharing one letter ("احمد" / "سعيد") already score 0.5, which would only add noise.
 */
const TOKEN_MATCH_FLOOR = 0.7;

/** Similarity of two tokens, forgiving a missing definite article at a small cost. */
function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const direct = jaroWinkler(a, b);
  const withoutArticle = jaroWinkler(
    a.replace(DEFINITE_ARTICLE, ''),
    b.replace(DEFINITE_ARTICLE, ''),
  );
  const score = Math.max(direct, 0.95 * withoutArticle);
  return score < TOKEN_MATCH_FLOOR ? 0 : score;
}

/**
 * Token-set score: tokens are paired greedily best-first (order-free, so "محمد الخطيب" matches
 * "الخطيب محمد"), each pair weighted by its length; unpaired tokens count as mismatches.
 */
function tokenSetSimilarity(a: string[], b: string[]): number {
  const pairs: { i: number; j: number; score: number; weight: number }[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const first = a[i] ?? '';
      const second = b[j] ?? '';
      const weight = Array.from(first).length + Array.from(second).length;
      pairs.push({ i, j, score: tokenSimilarity(first, second), weight });
    }
  }
  pairs.sort((x, y) => y.score - x.score || y.weight - x.weight || x.i - y.i || x.j - y.j);

  const usedA = new Set<number>();
  const usedB = new Set<number>();
  let matchedWeight = 0;
  for (const pair of pairs) {
    if (usedA.has(pair.i) || usedB.has(pair.j)) continue;
    usedA.add(pair.i);
    usedB.add(pair.j);
    matchedWeight += pair.score * pair.weight;
  }
  const totalWeight = [...a, ...b].reduce((sum, token) => sum + Array.from(token).length, 0);
  return totalWeight === 0 ? 0 : matchedWeight / totalWeight;
}

/**
 * Returns a symmetric similarity in [0,1] of two names after `normalizeArabic`: 1 for equal
 * normal forms, 0 when either is empty; combines an order-free token match with an edit
 * distance over the names without spaces (which catches words split or joined differently).
 */
export function nameSimilarity(a: string, b: string): number {
  let tokensA = nameTokens(a);
  let tokensB = nameTokens(b);
  if (tokensA.length === 0 || tokensB.length === 0) return 0;
  const joinedA = tokensA.join(' ');
  const joinedB = tokensB.join(' ');
  if (joinedA === joinedB) return 1;
  // Fix the argument order so the greedy pairing cannot make the score asymmetric.
  if (joinedA > joinedB) [tokensA, tokensB] = [tokensB, tokensA];

  const compactA = tokensA.join('');
  const compactB = tokensB.join('');
  const longest = Math.max(Array.from(compactA).length, Array.from(compactB).length);
  const compact = 1 - levenshtein(compactA, compactB) / longest;
  const score = Math.max(tokenSetSimilarity(tokensA, tokensB), compact);
  return Math.min(1, Math.max(0, score));
}

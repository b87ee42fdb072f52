import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasTashkeel,
  jaroWinkler,
  levenshtein,
  nameSimilarity,
  nameTokens,
  normalizeArabic,
  toAsciiDigits,
} from './arabic.js';

// Cases checked by Lucene's TestArabicNormalizationFilter (one rule per case); inputs and
// expected outputs written out here from what each test checks.
describe('normalizeArabic: Lucene ArabicNormalizer cases', () => {
  it.each([
    ['alef madda', 'آجن', 'اجن'],
    ['alef hamza above', 'أحمد', 'احمد'],
    ['alef hamza below', 'إعاذ', 'اعاذ'],
    ['alef maksura to yeh', 'بنى', 'بني'],
    ['teh marbuta to heh', 'فاطمة', 'فاطمه'],
    ['tatweel removed', 'روبرـــــت', 'روبرت'],
    ['fatha removed', 'مَبنا', 'مبنا'],
    ['kasra removed', 'علِي', 'علي'],
    ['damma removed', 'بُوات', 'بوات'],
    ['fathatan removed', 'ولداً', 'ولدا'],
    ['kasratan removed', 'ولدٍ', 'ولد'],
    ['dammatan removed', 'ولدٌ', 'ولد'],
    ['sukun removed', 'نلْسون', 'نلسون'],
    ['shadda removed', 'هتميّ', 'هتمي'],
    ['empty term', '', ''],
  ])('%s', (_rule, input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });

  // Lucene's Persian normaliser folds these keyboard variants; so do we.
  it.each([
    ['heh with yeh above', 'خانۀ', 'خانه'],
    ['farsi yeh', 'علی', 'علي'],
    ['keheh', 'کریم', 'كريم'],
  ])('%s', (_rule, input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });
});

// Cases in the spirit of CAMeL Tools' normalize_* and dediac_ar tests.
describe('normalizeArabic: CAMeL Tools cases', () => {
  const sentence = 'هل ذهبت إلى المكتبة؟';

  it('normalize_alef_ar + alef maksura + teh marbuta on the test sentence', () => {
    // CAMeL applies each rule separately; ours applies all of them at once.
    expect(normalizeArabic(sentence)).toBe('هل ذهبت الي المكتبه؟');
  });

  it('normalize_alef_ar: every alef variant becomes bare alef', () => {
    expect(normalizeArabic('أ إ آ ٱ ا')).toBe('ا ا ا ا ا');
  });

  it('normalize_alef_maksura_ar and normalize_teh_marbuta_ar', () => {
    expect(normalizeArabic('مستشفى')).toBe('مستشفي');
    expect(normalizeArabic('مدرسة')).toBe('مدرسه');
  });

  it('dediac_ar: removes harakat, tanween, shadda, sukun and dagger alef', () => {
    expect(normalizeArabic('مَكْتَبَةٌ')).toBe('مكتبه');
    expect(normalizeArabic('هٰذَا')).toBe('هذا');
    expect(normalizeArabic('الرَّحْمٰنِ')).toBe('الرحمن');
  });

  it('remove_elongation_ar: two identical letters stay, three or more become one', () => {
    expect(normalizeArabic('\u0645\u0645\u064a\u0632')).toBe('\u0645\u0645\u064a\u0632');
    expect(normalizeArabic('\u0643\u0643\u0643\u062a\u064a\u0631')).toBe(
      '\u0643\u062a\u064a\u0631',
    );
    expect(normalizeArabic('\u0643\u062a\u064a\u064a\u064a\u0631')).toBe(
      '\u0643\u062a\u064a\u0631',
    );
    expect(normalizeArabic('\u0643\u062a\u064a\u0631\u0631\u0631')).toBe(
      '\u0643\u062a\u064a\u0631',
    );
  });

  it('normalize_unicode: presentation forms and ligatures become plain letters', () => {
    expect(normalizeArabic('ﺃﺣﻤﺪ')).toBe('احمد');
    expect(normalizeArabic('ﻻ')).toBe('لا');
    expect(normalizeArabic('ﷺ')).not.toMatch(/[\uFB50-\uFDFF\uFE70-\uFEFF]/u);
  });
});

describe('normalizeArabic: our rules', () => {
  it.each([
    ['عبد الله', 'عبدالله'],
    ['عبدالله', 'عبدالله'],
    ['عبد  الرحمن', 'عبدالرحمن'],
    ['أبو بكر', 'ابوبكر'],
    ['ابو بكر', 'ابوبكر'],
    ['ابو عبد الرحمن', 'ابوعبدالرحمن'],
    ['ابو عبدالرحمن', 'ابوعبدالرحمن'],
    ['نور الدين', 'نورالدين'],
    ['سيف الله', 'سيفالله'],
    ['محمد عبد الله الخطيب', 'محمد عبدالله الخطيب'],
    ['عبد ﷲ', 'عبدالله'],
  ])('joins the compound name %s', (input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });

  it('does not join "ام" with the next word', () => {
    expect(normalizeArabic('ام كلثوم')).toBe('ام كلثوم');
    expect(normalizeArabic('أم كلثوم')).toBe('ام كلثوم');
  });

  it('leaves a trailing compound prefix alone', () => {
    expect(normalizeArabic('محمد عبد')).toBe('محمد عبد');
  });

  it('collapses elongation but keeps doubled letters', () => {
    expect(normalizeArabic('احمممد')).toBe('احمد');
    expect(normalizeArabic('محمـــــد')).toBe('محمد');
    expect(normalizeArabic('الله')).toBe('الله');
    expect(normalizeArabic('Ahmeeeed')).toBe('ahmed');
    expect(normalizeArabic('1000')).toBe('1000');
  });

  it('unifies hamza seats on waw and yeh', () => {
    expect(normalizeArabic('مؤمن')).toBe('مومن');
    expect(normalizeArabic('هيئة')).toBe('هييه');
    // Hamza written as a separate combining mark is treated the same as precomposed.
    expect(normalizeArabic('\u0627\u0654\u062d\u0645\u062f')).toBe('احمد');
  });

  it('strips Quranic annotation marks', () => {
    expect(normalizeArabic('الرحيم\u06DA')).toBe('الرحيم');
    expect(normalizeArabic('ذلك\u06D6')).toBe('ذلك');
  });

  it('converts Arabic-Indic and Persian digits to ASCII', () => {
    expect(normalizeArabic('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalizeArabic('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(normalizeArabic('بناء ٣ شقة ١٢')).toBe('بناء 3 شقه 12');
  });

  it('strips bidi and zero-width marks', () => {
    const marks = ['\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202B'];
    const more = ['\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const mark of [...marks, ...more, '\uFEFF', '\u061C']) {
      expect(normalizeArabic(`${mark}فا${mark}طمة${mark}`)).toBe('فاطمه');
    }
  });

  it('lowercases Latin and folds accents', () => {
    expect(normalizeArabic('AHMAD Al-Khatib')).toBe('ahmad al-khatib');
    expect(normalizeArabic('José MÜLLER')).toBe('jose muller');
  });

  it('folds whitespace and turns Arabic comma and semicolon into spaces', () => {
    expect(normalizeArabic('  فاطمة\t\n  علي  ')).toBe('فاطمه علي');
    expect(normalizeArabic('فاطمة، زينب؛ علي')).toBe('فاطمه زينب علي');
    expect(normalizeArabic('\u00A0علي\u00A0')).toBe('علي');
  });

  it('makes differently typed spellings of one name equal', () => {
    const spellings = [
      'عبد الله',
      'عبدالله',
      'عَبْدُ اللّٰهِ',
      'عبـــد الله',
      '\u200Fعبد\u00A0الله\u200E',
      'ﻋﺒﺪ ﷲ',
    ];
    const forms = new Set(spellings.map(normalizeArabic));
    expect([...forms]).toEqual(['عبدالله']);
  });
});

describe('toAsciiDigits', () => {
  it('converts only digits', () => {
    expect(toAsciiDigits('٠٩٣٣ ١٢٣ ٤٥٦')).toBe('0933 123 456');
    expect(toAsciiDigits('۰۹۳۳-۱۲۳')).toBe('0933-123');
    expect(toAsciiDigits('أحمد ٥')).toBe('أحمد 5');
    expect(toAsciiDigits('abc 123')).toBe('abc 123');
  });
});

describe('nameTokens', () => {
  it('returns normalised tokens in order', () => {
    expect(nameTokens('مُحمّد  عبد الله   الخطيب')).toEqual(['محمد', 'عبدالله', 'الخطيب']);
  });

  it('treats punctuation as spaces and drops apostrophes', () => {
    expect(nameTokens('عبد-الله (أحمد)')).toEqual(['عبدالله', 'احمد']);
    expect(nameTokens("O'Brien, Sean")).toEqual(['obrien', 'sean']);
  });

  it('returns no tokens for blank input', () => {
    expect(nameTokens('')).toEqual([]);
    expect(nameTokens(' \u200F ، ')).toEqual([]);
  });
});

describe('string metrics', () => {
  it('jaroWinkler matches the published MARTHA/MARHTA and DIXON/DICKSONX values', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('a', '')).toBe(0);
  });

  it('levenshtein counts edits', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('محمد', 'محمود')).toBe(1);
    expect(levenshtein('', 'abc')).toBe(3);
  });
});

describe('nameSimilarity', () => {
  it('is 1 for spellings that normalise equally', () => {
    expect(nameSimilarity('عبد الله', 'عَبدُالله')).toBe(1);
    expect(nameSimilarity('فاطمة الزهراء', 'فاطمه الزهراء')).toBe(1);
  });

  it('is 0 when either name is blank', () => {
    expect(nameSimilarity('', 'محمد')).toBe(0);
    expect(nameSimilarity('  ', '')).toBe(0);
  });

  it('ignores word order', () => {
    expect(nameSimilarity('محمد الخطيب', 'الخطيب محمد')).toBe(1);
  });

  it('scores likely duplicates above unrelated names', () => {
    const typo = nameSimilarity('محمد احمد الخطيب', 'محمد أحمد الخطيت');
    const missingMiddle = nameSimilarity('محمد احمد الخطيب', 'محمد الخطيب');
    const noArticle = nameSimilarity('محمد الخطيب', 'محمد خطيب');
    const unrelated = nameSimilarity('محمد احمد الخطيب', 'سعيد حسن العلي');
    expect(typo).toBeGreaterThan(0.9);
    expect(missingMiddle).toBeGreaterThan(0.75);
    expect(noArticle).toBeGreaterThan(0.9);
    expect(unrelated).toBeLessThan(0.4);
    expect(nameSimilarity('احمد', 'سعيد')).toBeLessThan(0.5);
  });

  it('catches a name split into two words differently', () => {
    expect(nameSimilarity('نور الهدى', 'نورالهدى')).toBe(1);
  });
});

// Arbitrary text rich in the characters the normaliser treats specially, plus whole words that
// trigger compound joining, so the properties exercise the interesting paths.
const interestingUnits = fc.constantFrom(
  ...'اأإآٱىيةهؤوئءدبعلم', // letters that are folded, and ordinary ones
  ...'\u064B\u064E\u0651\u0652\u0654\u0670\u06D6\u06ED\u0640', // marks and tatweel
  ...'\u200B\u200F\u202B\u2067\uFEFF\u061C\u0301\u0307', // invisible marks, Latin accents
  ...'٠٩۰۹5 \t،؛AzİΣé', // digits, separators, case-sensitive Latin and Greek
  ...'ﺃﻻﷲﹰﹱﷺ㎁', // compatibility forms NFKD expands
  // words that trigger (or must not trigger) compound joining
  '  ',
  'عبد',
  'ابو',
  'أبو',
  'الله',
  'الدين',
  'ام',
);
const arabicText = fc.string({ unit: interestingUnits, maxLength: 40 });
const anyText = fc.oneof(
  arabicText,
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('normalizeArabic properties', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = normalizeArabic(text);
        expect(normalizeArabic(once)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves no tashkeel, tatweel, bidi or zero-width marks', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const normalized = normalizeArabic(text);
        expect(hasTashkeel(normalized)).toBe(false);
        expect(normalized).not.toMatch(/[\u061C\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves only ASCII digits and single inner spaces', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const normalized = normalizeArabic(text);
        expect(normalized).not.toMatch(/[\u0660-\u0669\u06F0-\u06F9]/u);
        expect(normalized).not.toMatch(/^\s|\s$|\s\s/u);
        expect(normalized).not.toMatch(/[أإآٱىةؤئ]/u);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the digits of digit strings whatever script they were typed in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 20 }), (digits) => {
        const ascii = digits.join('');
        const arabicIndic = digits.map((d) => String.fromCharCode(0x0660 + d)).join('');
        const persian = digits.map((d) => String.fromCharCode(0x06f0 + d)).join('');
        expect(normalizeArabic(arabicIndic)).toBe(ascii);
        expect(normalizeArabic(persian)).toBe(ascii);
        expect(toAsciiDigits(arabicIndic)).toBe(ascii);
      }),
    );
  });
});

describe('nameSimilarity properties', () => {
  it('is within [0,1], symmetric, and 1 for a non-blank name against itself', () => {
    fc.assert(
      fc.property(arabicText, arabicText, (a, b) => {
        const score = nameSimilarity(a, b);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(nameSimilarity(b, a)).toBe(score);
        if (nameTokens(a).length > 0) expect(nameSimilarity(a, a)).toBe(1);
      }),
      { numRuns: 1000 },
    );
  });
});

/**
 * The columns of a household file, pure: the canonical names (those of the CSV template and of
 * `validateHouseholdInput`), the Arabic and English headers people actually write for them, their
 * HXL hashtags, and the neutralisation of cells a spreadsheet would run as formulas. Import,
 * export and the template all read this one table.
 */
import { normalizeArabic } from '../domain/text/arabic.js';

/** The fields of the canonical CSV template, in order. */
export const templateFields = [
  'card_number',
  'head_given_name',
  'head_father_name',
  'head_grandfather_name',
  'head_family_name',
  'national_id',
  'phone',
  'household_size',
  'area_pcode',
  'address',
  'tags',
] as const;

/** Columns an import understands: the template's, then the optional extras validation reads. */
export const importFields = [
  ...templateFields,
  'head_name_latin',
  'latitude',
  'longitude',
  'consent_date',
] as const;
export type ImportField = (typeof importFields)[number];

/** Without these a file is refused before any row is read (every row would fail). */
export const requiredFields: readonly ImportField[] = [
  'head_given_name',
  'head_father_name',
  'head_family_name',
  'household_size',
  'area_pcode',
];

/** Columns an export writes: the template's, then what identifies the record in Awn. */
export const exportFields = [...templateFields, 'id', 'status'] as const;
export type ExportField = (typeof exportFields)[number];

interface ColumnInfo {
  /** Headers people write, in Arabic and English; matched after `headerKey`. */
  aliases: readonly string[];
  /** HXL hashtags with attributes; the first is the one written. */
  hxl: readonly string[];
  /** What the column holds, for the template's notes (Arabic, then English). */
  hint: { ar: string; en: string };
}

const columns: Record<ImportField | ExportField, ColumnInfo> = {
  card_number: {
    aliases: [
      'card number',
      'card no',
      'card',
      'ration card',
      'ration card number',
      'رقم البطاقة',
      'البطاقة',
      'رقم البطاقة التموينية',
      'البطاقة التموينية',
    ],
    hxl: ['#beneficiary+id+card'],
    hint: { ar: 'رقم البطاقة (اختياري: يُمنح تلقائياً)', en: 'card number (optional: assigned)' },
  },
  head_given_name: {
    aliases: [
      'given name',
      'first name',
      'name',
      'head name',
      'head first name',
      'الاسم',
      'اسم',
      'الاسم الأول',
      'اسم رب الأسرة',
      'رب الأسرة',
    ],
    hxl: ['#beneficiary+name+first', '#beneficiary+name+given'],
    hint: { ar: 'اسم رب الأسرة', en: 'head of household: given name' },
  },
  head_father_name: {
    aliases: ['father name', "father's name", 'fathers name', 'اسم الأب', 'الأب', 'اسم الوالد'],
    hxl: ['#beneficiary+name+father'],
    hint: { ar: 'اسم الأب', en: "father's name" },
  },
  head_grandfather_name: {
    aliases: ['grandfather name', "grandfather's name", 'grandfathers name', 'اسم الجد', 'الجد'],
    hxl: ['#beneficiary+name+grandfather'],
    hint: { ar: 'اسم الجد (اختياري)', en: "grandfather's name (optional)" },
  },
  head_family_name: {
    aliases: [
      'family name',
      'last name',
      'surname',
      'اسم العائلة',
      'العائلة',
      'الكنية',
      'النسبة',
      'الشهرة',
    ],
    hxl: ['#beneficiary+name+family', '#beneficiary+name+last'],
    hint: { ar: 'الكنية', en: 'family name' },
  },
  head_name_latin: {
    aliases: [
      'latin name',
      'name latin',
      'english name',
      'name in english',
      'الاسم باللاتينية',
      'الاسم بالإنكليزية',
      'الاسم بالإنجليزية',
    ],
    hxl: ['#beneficiary+name+i_en', '#beneficiary+name+latin'],
    hint: { ar: 'الاسم بالأحرف اللاتينية (اختياري)', en: 'name in Latin letters (optional)' },
  },
  national_id: {
    aliases: [
      'national id',
      'national number',
      'id number',
      'nid',
      'الرقم الوطني',
      'رقم الهوية',
      'الهوية',
    ],
    hxl: ['#beneficiary+id+national'],
    hint: { ar: 'الرقم الوطني (اختياري)', en: 'national id (optional)' },
  },
  phone: {
    aliases: [
      'phone number',
      'mobile',
      'mobile number',
      'telephone',
      'tel',
      'الهاتف',
      'هاتف',
      'رقم الهاتف',
      'الجوال',
      'رقم الجوال',
      'الموبايل',
      'رقم الموبايل',
      'الخليوي',
    ],
    hxl: ['#contact+phone'],
    hint: { ar: 'رقم الهاتف (اختياري)', en: 'phone (optional)' },
  },
  household_size: {
    aliases: [
      'size',
      'household size',
      'family size',
      'hh size',
      'number of members',
      'عدد الأفراد',
      'عدد أفراد الأسرة',
      'حجم الأسرة',
      'الأفراد',
    ],
    hxl: ['#population+hh+size', '#beneficiary+hh+size', '#population+size'],
    hint: { ar: 'عدد أفراد الأسرة', en: 'household size' },
  },
  area_pcode: {
    aliases: [
      'p-code',
      'pcode',
      'area pcode',
      'area code',
      'admin4pcode',
      'admin3pcode',
      'admin4 pcode',
      'admin3 pcode',
      'location code',
      'رمز المنطقة',
      'كود المنطقة',
      'الرمز',
    ],
    hxl: ['#adm3+code', '#adm4+code', '#loc+code'],
    hint: { ar: 'رمز المنطقة (ناحية أو تجمّع)', en: 'area p-code (subdistrict or community)' },
  },
  address: {
    aliases: ['address', 'العنوان', 'عنوان', 'السكن', 'مكان السكن'],
    hxl: ['#loc+address', '#contact+address'],
    hint: { ar: 'العنوان (اختياري)', en: 'address (optional)' },
  },
  tags: {
    aliases: [
      'tags',
      'vulnerability',
      'vulnerabilities',
      'categories',
      'الفئات',
      'الفئة',
      'الوسوم',
      'الهشاشة',
    ],
    hxl: ['#beneficiary+vulnerability', '#beneficiary+tags'],
    hint: { ar: 'الفئات، تفصل بينها ;', en: 'tags, separated by ;' },
  },
  latitude: {
    aliases: ['lat', 'latitude', 'خط العرض'],
    hxl: ['#geo+lat'],
    hint: { ar: 'خط العرض', en: 'latitude' },
  },
  longitude: {
    aliases: ['lon', 'lng', 'long', 'longitude', 'خط الطول'],
    hxl: ['#geo+lon'],
    hint: { ar: 'خط الطول', en: 'longitude' },
  },
  consent_date: {
    aliases: ['consent date', 'consent', 'تاريخ الموافقة'],
    hxl: ['#date+consent'],
    hint: { ar: 'تاريخ الموافقة YYYY-MM-DD', en: 'consent date YYYY-MM-DD' },
  },
  id: {
    aliases: [],
    hxl: ['#beneficiary+id+internal'],
    hint: { ar: 'معرّف الأسرة في عون', en: 'household id in Awn' },
  },
  status: {
    aliases: [],
    hxl: ['#status'],
    hint: { ar: 'الحالة', en: 'status' },
  },
};

/**
 * The form a header is compared in: `normalizeArabic` (hamza forms, teh marbuta, case, digits)
 * with spaces, underscores, dashes, dots, apostrophes and brackets removed, so "Given_Name",
 * "given name" and "GIVEN-NAME" meet, as do "اسم رب الأسرة" and "اسم رب الاسره".
 */
export function headerKey(header: string): string {
  return normalizeArabic(header).replace(/[\s_\-.'’:()[\]*/]+/gu, '');
}

const fieldByHeader = new Map<string, ImportField>();
for (const field of importFields) {
  for (const alias of [field, ...columns[field].aliases]) {
    const key = headerKey(alias);
    const other = fieldByHeader.get(key);
    if (other !== undefined && other !== field) {
      throw new Error(`header alias "${alias}" is claimed by ${other} and ${field}`);
    }
    fieldByHeader.set(key, field);
  }
}

/** The field a header names, or undefined. */
export function fieldForHeader(header: string): ImportField | undefined {
  return fieldByHeader.get(headerKey(header));
}

interface HxlTag {
  hashtag: string;
  attributes: Set<string>;
}

/** Parses "#tag +attr +attr" (case and spaces ignored); undefined when not a hashtag. */
export function parseHxl(text: string): HxlTag | undefined {
  const compact = text.replace(/\s+/gu, '').toLowerCase();
  const match = /^#([a-z][a-z0-9_]*)((?:\+[a-z][a-z0-9_]*)*)$/u.exec(compact);
  if (!match) return undefined;
  const attributes = (match[2] ?? '').split('+').filter((attribute) => attribute !== '');
  return { hashtag: match[1] ?? '', attributes: new Set(attributes) };
}

const hxlPatterns: { field: ImportField; tag: HxlTag }[] = importFields.flatMap((field) =>
  columns[field].hxl.map((text) => {
    const tag = parseHxl(text);
    if (!tag) throw new Error(`bad HXL pattern ${text}`);
    return { field, tag };
  }),
);

/**
 * The field an HXL hashtag names: the same hashtag carrying every attribute of one of the
 * field's patterns (extra attributes such as +i_ar are allowed); the most specific pattern wins,
 * and a tie between two fields names neither.
 */
export function fieldForHxl(text: string): ImportField | undefined {
  const tag = parseHxl(text);
  if (!tag) return undefined;
  let best: { field: ImportField; size: number } | undefined;
  let tied = false;
  for (const pattern of hxlPatterns) {
    if (pattern.tag.hashtag !== tag.hashtag) continue;
    if (![...pattern.tag.attributes].every((attribute) => tag.attributes.has(attribute))) continue;
    const size = pattern.tag.attributes.size;
    if (!best || size > best.size) {
      best = { field: pattern.field, size };
      tied = false;
    } else if (size === best.size && pattern.field !== best.field) tied = true;
  }
  return tied ? undefined : best?.field;
}

/** The HXL hashtag written for a column. */
export function hxlFor(field: ImportField | ExportField): string {
  return columns[field].hxl[0] ?? '';
}

export function hintFor(field: ImportField | ExportField): { ar: string; en: string } {
  return columns[field].hint;
}

/** True when a row of cells is an HXL hashtag row: every non-empty cell starts with '#'. */
export function isHxlRow(cells: readonly unknown[]): boolean {
  const texts = cells.map((cell) => (typeof cell === 'string' ? cell.trim() : cell));
  const filled = texts.filter((cell) => cell !== null && cell !== undefined && cell !== '');
  return (
    filled.length > 0 && filled.every((cell) => typeof cell === 'string' && cell.startsWith('#'))
  );
}

export interface HeaderWarning {
  /** 1-based column position in the file. */
  position: number;
  header: string;
  code: 'column-unknown' | 'column-unnamed';
  message: string;
}

export interface ColumnMapping {
  /** For each position in a row (0-based), the field it holds, or null when ignored. */
  fields: (ImportField | null)[];
  /** The header text of each mapped field as written in the file. */
  headers: Partial<Record<ImportField, string>>;
  warnings: HeaderWarning[];
  /** Required fields without a column. */
  missing: ImportField[];
  /** Fields named by more than one column. */
  repeated: ImportField[];
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'string' ? cell.trim() : String(cell);
}

/**
 * Maps a header row (and the HXL row under it, when the file has one) to fields: a recognised
 * HXL hashtag wins, else the header; unknown columns are warnings; missing required columns and
 * fields named twice are reported for the caller to refuse the file.
 */
export function mapColumns(header: readonly unknown[], hxl?: readonly unknown[]): ColumnMapping {
  const width = Math.max(header.length, hxl?.length ?? 0);
  const fields: (ImportField | null)[] = [];
  const headers: Partial<Record<ImportField, string>> = {};
  const warnings: HeaderWarning[] = [];
  const repeated = new Set<ImportField>();
  for (let index = 0; index < width; index += 1) {
    const text = cellText(header[index]);
    const tag = cellText(hxl?.[index]);
    const field = (tag === '' ? undefined : fieldForHxl(tag)) ?? fieldForHeader(text);
    if (field === undefined) {
      fields.push(null);
      if (text !== '' || tag !== '') {
        warnings.push({
          position: index + 1,
          header: text === '' ? tag : text,
          code: 'column-unknown',
          message: 'is not a known column and is ignored',
        });
      }
      continue;
    }
    if (headers[field] !== undefined) repeated.add(field);
    headers[field] = text === '' ? tag : text;
    fields.push(field);
  }
  const missing = requiredFields.filter((field) => headers[field] === undefined);
  return { fields, headers, warnings, missing, repeated: [...repeated] };
}

/**
 * Text a spreadsheet could run as a formula (or a DDE payload): = + - @, tab, carriage return
 * or NUL first, possibly after spaces or quotes, or the same after a separator or a quote inside
 * the text, since a file opened with another separator (Excel in many locales splits on ";")
 * starts a new cell there: ";=A1+B1", "x,-2+3", 'a"=cmd'.
 */
const formulaTrigger = /(?:^|[,;|\t\r\n"'])[\s"']*[=+\-@\t\r\0]/u;

/**
 * Returns the text as a spreadsheet cell that is never run as a formula: text that could start
 * one anywhere (see formulaTrigger) gets a leading single quote, as OWASP's CSV injection
 * guidance says; csvLine also quotes every field.
 */
export function neutraliseCell(text: string): string {
  return formulaTrigger.test(text) ? `'${text}` : text;
}

/**
 * Undoes `neutraliseCell` on import, so an exported file reads back as it was written
 * (a phone "'+963…" is "+963…" again).
 */
export function restoreCell(text: string): string {
  return text.startsWith("'") && formulaTrigger.test(text.slice(1)) ? text.slice(1) : text;
}

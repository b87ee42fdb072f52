/**
 * What an organisation may configure about its household registry: the vulnerability tags it
 * records, the national id format and the default country of phone numbers. Stored in
 * `settings` (JSON values) and read once per request or import.
 */
import {
  makeNationalIdValidator,
  type NationalIdValidator,
} from '../../domain/identity/national-id.js';
import type { Executor } from '../../db/transaction.js';

export interface VulnerabilityTag {
  code: string;
  label_ar: string;
  label_en: string;
}

/** The shipped list; `settings['households.vulnerability_tags']` (a JSON array) replaces it. */
export const defaultVulnerabilityTags: readonly VulnerabilityTag[] = [
  { code: 'elderly', label_ar: 'مسنّون', label_en: 'Elderly' },
  { code: 'disability', label_ar: 'إعاقة', label_en: 'Disability' },
  { code: 'chronic_illness', label_ar: 'مرض مزمن', label_en: 'Chronic illness' },
  { code: 'female_headed', label_ar: 'معيلة أنثى', label_en: 'Female-headed' },
  { code: 'displaced', label_ar: 'نازحون', label_en: 'Displaced' },
  { code: 'family_of_fallen', label_ar: 'أسرة شهيد', label_en: 'Family of the fallen' },
  { code: 'wounded', label_ar: 'جرحى', label_en: 'Wounded' },
  { code: 'orphans', label_ar: 'أيتام', label_en: 'Orphans' },
  { code: 'pregnant_or_lactating', label_ar: 'حامل أو مرضع', label_en: 'Pregnant or lactating' },
  { code: 'unemployed', label_ar: 'بلا عمل', label_en: 'Unemployed' },
];

export const settingKeys = {
  vulnerabilityTags: 'households.vulnerability_tags',
  /** JSON `{"pattern": "<regex source>", "length": n}`; absent = Syria's 11 digits. */
  nationalIdFormat: 'households.national_id_format',
  /** Country calling code assumed for local phone numbers; absent = 963 (Syria). */
  phoneCountry: 'households.phone_country',
} as const;

/** A known area as validation needs it. */
export interface AreaRef {
  pcode: string;
  level: 'governorate' | 'district' | 'subdistrict' | 'community';
  path: string;
}

export interface HouseholdConfig {
  tags: readonly VulnerabilityTag[];
  nationalId: NationalIdValidator;
  phoneCountry: string;
  /** Areas the input may name, by p-code; when given, `area_pcode` must be one of them. */
  areas?: ReadonlyMap<string, AreaRef>;
  /** Areas that exist but lie outside the actor's scope (areas are public reference data). */
  areasOutsideScope?: ReadonlySet<string>;
  /** YYYY-MM-DD; when given, dates after it and birth years after its year are refused. */
  today?: string;
}

export const defaultHouseholdConfig: HouseholdConfig = {
  tags: defaultVulnerabilityTags,
  nationalId: makeNationalIdValidator(),
  phoneCountry: '963',
};

const tagCodePattern = /^[a-z][a-z0-9_]{0,39}$/u;

/** Parses the configured tag list; throws naming the setting when it is malformed. */
export function parseVulnerabilityTags(json: string): VulnerabilityTag[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new Error(`${settingKeys.vulnerabilityTags} must be an array`);
  return parsed.map((entry: unknown, index) => {
    const tag = entry as Partial<VulnerabilityTag> | null;
    if (
      !tag ||
      typeof tag.code !== 'string' ||
      !tagCodePattern.test(tag.code) ||
      typeof tag.label_ar !== 'string' ||
      typeof tag.label_en !== 'string'
    ) {
      throw new Error(`${settingKeys.vulnerabilityTags}[${index}] needs code, label_ar, label_en`);
    }
    return { code: tag.code, label_ar: tag.label_ar, label_en: tag.label_en };
  });
}

/** Reads the registry configuration from `settings`, falling back to the shipped defaults. */
export async function loadHouseholdConfig(db: Executor): Promise<HouseholdConfig> {
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'in', Object.values(settingKeys))
    .execute();
  const setting = (key: string): string | undefined => rows.find((row) => row.key === key)?.value;

  const tagsJson = setting(settingKeys.vulnerabilityTags);
  const formatJson = setting(settingKeys.nationalIdFormat);
  let nationalId = defaultHouseholdConfig.nationalId;
  if (formatJson !== undefined) {
    const format = JSON.parse(formatJson) as { pattern?: string; length?: number };
    nationalId = makeNationalIdValidator({
      ...(format.pattern !== undefined ? { pattern: new RegExp(format.pattern, 'u') } : {}),
      ...(format.length !== undefined ? { length: format.length } : {}),
    });
  }
  return {
    tags: tagsJson === undefined ? defaultVulnerabilityTags : parseVulnerabilityTags(tagsJson),
    nationalId,
    phoneCountry: setting(settingKeys.phoneCountry) ?? defaultHouseholdConfig.phoneCountry,
  };
}

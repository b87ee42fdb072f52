/**
 * What an organisation may configure about volunteers, teams and runs: the skills it records,
 * the trainings a team requires by default, how long after a run's day its reservations hold,
 * and the deployment's time zone (a run's date is a local day). Stored in `settings` (JSON
 * values), read once per request; the shipped defaults apply when a key is absent.
 */
import type { Executor } from '../../db/transaction.js';
import { isTimeZone } from '../../domain/runs/calendar.js';

export interface Skill {
  code: string;
  label_ar: string;
  label_en: string;
}

export const defaultSkills: readonly Skill[] = [
  { code: 'driver', label_ar: 'سائق', label_en: 'Driver' },
  { code: 'first_aid', label_ar: 'إسعاف أولي', label_en: 'First aid' },
  { code: 'psychosocial', label_ar: 'دعم نفسي', label_en: 'Psychosocial support' },
  { code: 'logistics', label_ar: 'لوجستيات', label_en: 'Logistics' },
  { code: 'data_entry', label_ar: 'إدخال بيانات', label_en: 'Data entry' },
  { code: 'sign_language', label_ar: 'لغة الإشارة', label_en: 'Sign language' },
];

export const fieldSettingKeys = {
  skills: 'volunteers.skills',
  /** JSON array of training codes. */
  requiredTrainings: 'teams.required_trainings',
  /** JSON number of hours. */
  reservationGraceHours: 'runs.reservation_grace_hours',
  /** JSON string, an IANA time zone. */
  timeZone: 'deployment.time_zone',
} as const;

export interface FieldConfig {
  skills: readonly Skill[];
  requiredTrainings: readonly string[];
  reservationGraceHours: number;
  timeZone: string;
}

export const defaultFieldConfig: FieldConfig = {
  skills: defaultSkills,
  requiredTrainings: ['ipc_ppe'],
  reservationGraceHours: 6,
  timeZone: 'Asia/Damascus',
};

/** Reads the configuration from `settings`, falling back to the shipped defaults. */
export async function loadFieldConfig(db: Executor): Promise<FieldConfig> {
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where('key', 'in', Object.values(fieldSettingKeys))
    .execute();
  const value = (key: string): unknown => {
    const row = rows.find((candidate) => candidate.key === key);
    return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
  };
  const skills = value(fieldSettingKeys.skills);
  const required = value(fieldSettingKeys.requiredTrainings);
  const grace = value(fieldSettingKeys.reservationGraceHours);
  const timeZone = value(fieldSettingKeys.timeZone);
  return {
    skills: Array.isArray(skills) ? (skills as Skill[]) : defaultFieldConfig.skills,
    requiredTrainings:
      Array.isArray(required) && required.every((code) => typeof code === 'string')
        ? (required as string[])
        : defaultFieldConfig.requiredTrainings,
    reservationGraceHours:
      typeof grace === 'number' && Number.isFinite(grace) && grace >= 0
        ? grace
        : defaultFieldConfig.reservationGraceHours,
    timeZone:
      typeof timeZone === 'string' && isTimeZone(timeZone) ? timeZone : defaultFieldConfig.timeZone,
  };
}

/**
 * What an organisation may configure about volunteers, teams and runs: the skills it records,
 * the trainings a team requires by default, how long after a run's day its reservations hold,
 * the deployment's time zone (a run's date is a local day), and how runs are routed. Stored in `settings` (JSON
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
  /** JSON number >= 1: street metres per great-circle metre between households. */
  detourFactor: 'runs.detour_factor',
  /** JSON number of milliseconds the solver may search when ordering one run's stops. */
  orderTimeLimitMs: 'runs.order_time_limit_ms',
  /** JSON number of milliseconds the solver may search when planning a day across teams. */
  planDayTimeLimitMs: 'runs.plan_day_time_limit_ms',
  /** JSON whole number: the solver's iterations at most (fewer when its time is up first). */
  routeIterations: 'runs.route_iterations',
} as const;

export interface FieldConfig {
  skills: readonly Skill[];
  requiredTrainings: readonly string[];
  reservationGraceHours: number;
  timeZone: string;
  detourFactor: number;
  orderTimeLimitMs: number;
  planDayTimeLimitMs: number;
  routeIterations: number;
}

export const defaultFieldConfig: FieldConfig = {
  skills: defaultSkills,
  requiredTrainings: ['ipc_ppe'],
  reservationGraceHours: 6,
  timeZone: 'Asia/Damascus',
  detourFactor: 1.3,
  orderTimeLimitMs: 1000,
  planDayTimeLimitMs: 4000,
  routeIterations: 1000,
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
  const number = (key: keyof typeof fieldSettingKeys & keyof FieldConfig, least: number) => {
    const found = value(fieldSettingKeys[key]);
    return typeof found === 'number' && Number.isFinite(found) && found >= least
      ? found
      : (defaultFieldConfig[key] as number);
  };
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
    detourFactor: number('detourFactor', 1),
    orderTimeLimitMs: number('orderTimeLimitMs', 1),
    planDayTimeLimitMs: number('planDayTimeLimitMs', 1),
    routeIterations: Math.floor(number('routeIterations', 1)),
  };
}

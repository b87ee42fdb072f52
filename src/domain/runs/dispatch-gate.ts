/**
 * The dispatch gate as a pure function: a run may leave only when every member is active (not
 * paused, not gone), holds each
 * required training, valid on the run's date, and a movement permit valid on that date
 * covering each of the run's areas. The answer lists exactly what is missing, per volunteer.
 * A permit limited to daily hours (`HH:MM-HH:MM`, possibly across midnight) covers a dispatch
 * made on the run's day only within them; a run dispatched ahead of its day is not held to them.
 */

export interface MemberCredentials {
  volunteerId: string;
  /** Only an active volunteer goes out; a paused or departed one is refused as such. */
  status: 'active' | 'paused' | 'left';
  trainings: readonly { code: string; completed_on: string; expires_on: string }[];
  permits: readonly {
    valid_from: string;
    valid_to: string;
    areaPaths: readonly string[];
    hours?: string | null;
  }[];
}

/** True when the local time `HH:MM` falls within `HH:MM-HH:MM` (ends included). */
export function withinHours(hours: string, time: string): boolean {
  const [from = '', to = ''] = hours.split('-');
  return from <= to ? from <= time && time <= to : time >= from || time <= to;
}

export type Missing =
  | { volunteer_id: string; kind: 'status'; status: 'paused' | 'left' }
  | { volunteer_id: string; kind: 'training'; training_code: string }
  | { volunteer_id: string; kind: 'permit'; area_pcode: string };

/**
 * Everything missing for the run's date and areas ({pcode, path}), members in the given order;
 * `time` (local `HH:MM`) when the dispatch happens on the run's day.
 */
export function missingForDispatch(
  members: readonly MemberCredentials[],
  requiredTrainings: readonly string[],
  date: string,
  areas: readonly { pcode: string; path: string }[],
  time?: string,
): Missing[] {
  const missing: Missing[] = [];
  for (const member of members) {
    if (member.status !== 'active') {
      // Their papers do not matter while they do not serve.
      missing.push({ volunteer_id: member.volunteerId, kind: 'status', status: member.status });
      continue;
    }
    for (const code of requiredTrainings) {
      const held = member.trainings.some(
        (training) =>
          training.code === code && training.completed_on <= date && date <= training.expires_on,
      );
      if (!held)
        missing.push({ volunteer_id: member.volunteerId, kind: 'training', training_code: code });
    }
    const valid = member.permits.filter(
      (permit) =>
        permit.valid_from <= date &&
        date <= permit.valid_to &&
        (time === undefined || !permit.hours || withinHours(permit.hours, time)),
    );
    for (const area of areas) {
      const covered = valid.some((permit) =>
        permit.areaPaths.some((path) => area.path.startsWith(path)),
      );
      if (!covered)
        missing.push({ volunteer_id: member.volunteerId, kind: 'permit', area_pcode: area.pcode });
    }
  }
  return missing;
}

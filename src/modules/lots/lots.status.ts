/** A lot's status on a day: expiry is judged in the deployment's time zone. */
import { effectiveLotStatus } from '../../domain/stores/accounts.js';
import type { Clock } from '../../shared/clock.js';
import { configuredTimeZone, localDay } from '../../shared/time-zone.js';
import type { LotRecord } from './lots.repository.js';
import type { LotView } from './lots.schema.js';

const timeZone = configuredTimeZone();

/** Today in the deployment's time zone (YYYY-MM-DD), the day expiry is judged on. */
export function today(clock: Clock): string {
  return localDay(clock(), timeZone);
}

/** The lot's status on the clock's day (expired once its expiry date has passed). */
export function lotStatus(lot: LotRecord, clock: Clock): LotView['status'] {
  return effectiveLotStatus(lot.status, lot.expires_on, today(clock));
}

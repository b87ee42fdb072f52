import { describe, expect, it } from 'vitest';
import { missingForDispatch, withinHours, type MemberCredentials } from './dispatch-gate.js';

const member = (hours: string | null): MemberCredentials => ({
  volunteerId: 'v1',
  status: 'active',
  trainings: [{ code: 'ipc_ppe', completed_on: '2026-12-01', expires_on: '2027-05-30' }],
  permits: [{ valid_from: '2026-12-01', valid_to: '2026-12-31', areaPaths: ['SY/06/'], hours }],
});
const areas = [{ pcode: 'SY0600', path: 'SY/06/00/' }];

describe('the dispatch gate', () => {
  it('reads daily hours, across midnight too', () => {
    expect(withinHours('08:00-14:00', '08:00')).toBe(true);
    expect(withinHours('08:00-14:00', '14:01')).toBe(false);
    expect(withinHours('20:00-06:00', '23:30')).toBe(true);
    expect(withinHours('20:00-06:00', '05:59')).toBe(true);
    expect(withinHours('20:00-06:00', '12:00')).toBe(false);
  });

  it('holds a permit limited to hours to the time of a same-day dispatch only', () => {
    const gate = (hours: string | null, time?: string) =>
      missingForDispatch([member(hours)], ['ipc_ppe'], '2026-12-05', areas, time);
    expect(gate(null, '23:00')).toEqual([]);
    expect(gate('08:00-14:00', '09:30')).toEqual([]);
    expect(gate('08:00-14:00', '15:00')).toEqual([
      { volunteer_id: 'v1', kind: 'permit', area_pcode: 'SY0600' },
    ]);
    // Dispatched ahead of the run's day: the hours are the run's own business on the day.
    expect(gate('08:00-14:00')).toEqual([]);
  });

  it('refuses a paused or departed member as such, whatever papers they hold', () => {
    const paused: MemberCredentials = { ...member(null), volunteerId: 'v3', status: 'paused' };
    const left: MemberCredentials = { ...member(null), volunteerId: 'v4', status: 'left' };
    expect(
      missingForDispatch([member(null), paused, left], ['ipc_ppe'], '2026-12-05', areas),
    ).toEqual([
      { volunteer_id: 'v3', kind: 'status', status: 'paused' },
      { volunteer_id: 'v4', kind: 'status', status: 'left' },
    ]);
  });

  it('lists every missing training and area per member', () => {
    const bare: MemberCredentials = {
      volunteerId: 'v2',
      status: 'active',
      trainings: [],
      permits: [],
    };
    expect(
      missingForDispatch([bare], ['ipc_ppe', 'first_aid'], '2026-12-05', areas, '10:00'),
    ).toEqual([
      { volunteer_id: 'v2', kind: 'training', training_code: 'ipc_ppe' },
      { volunteer_id: 'v2', kind: 'training', training_code: 'first_aid' },
      { volunteer_id: 'v2', kind: 'permit', area_pcode: 'SY0600' },
    ]);
  });
});

/**
 * Flagging likely duplicates at registration: the registered households sharing a block with
 * the new ones are read per subdistrict, compared by the pure matcher, and each match becomes
 * an open `duplicate_candidates` row for review (duplicates.service.ts).
 */
import type { NewRow } from '../../db/database.js';
import type { Executor } from '../../db/transaction.js';
import { likelyDuplicateMatcher, type Comparable } from '../../domain/matching/duplicates.js';
import { unpaced, type Pace } from '../../shared/pacing.js';
import { newTimeOrderedId } from './households.ids.js';
import type { NameKeys } from './households.names.js';
import { findDuplicateProbes } from './households.repository.js';

/** A likely duplicate found at registration, waiting in `duplicate_candidates` for review. */
export interface DuplicateHint {
  /** The duplicate candidate's id. */
  id: string;
  /** The other household (or, for an earlier input of the same batch, its new id). */
  other_household_id: string;
  other_index?: number;
  score: number;
  reason: string;
}

/** A household about to be registered, as the flagging needs it. */
export interface FlaggedHousehold {
  index: number;
  id: string;
  subdistrict: string;
  keys: NameKeys;
  value: { household_size: number; phone: string | null };
  /** Filled with the likely duplicates found. */
  duplicates: DuplicateHint[];
}

function comparable(entry: FlaggedHousehold): Comparable {
  return {
    id: entry.id,
    full_name_normalized: entry.keys.full_name_normalized,
    household_size: entry.value.household_size,
    phone: entry.value.phone,
    given_father_key: entry.keys.given_father_key,
    family_given_key: entry.keys.family_given_key,
    family_father_key: entry.keys.family_father_key,
  };
}

/**
 * Finds likely duplicates of the new households (in the registry and among themselves, within
 * a subdistrict), adds a hint to each entry and returns the candidate rows to insert; awaits
 * `pace` between households.
 */
export async function flagLikelyDuplicates(
  db: Executor,
  pending: readonly FlaggedHousehold[],
  now: string,
  pace: Pace = unpaced,
): Promise<NewRow<'duplicate_candidates'>[]> {
  const rows: NewRow<'duplicate_candidates'>[] = [];
  const bySubdistrict = new Map<string, FlaggedHousehold[]>();
  for (const entry of pending) {
    const group = bySubdistrict.get(entry.subdistrict);
    if (group) group.push(entry);
    else bySubdistrict.set(entry.subdistrict, [entry]);
  }
  for (const [subdistrict, group] of bySubdistrict) {
    const registered = await findDuplicateProbes(
      db,
      subdistrict,
      group.map((entry) => ({ ...entry.keys, ...entry.value })),
    );
    const matchOne = likelyDuplicateMatcher(registered);
    const matches = [];
    for (const [from, entry] of group.entries()) {
      matches.push(...matchOne({ household: comparable(entry), index: entry.index }, from));
      await pace();
    }
    for (const match of matches) {
      const entry = group[match.from];
      if (!entry) continue;
      const id = newTimeOrderedId();
      entry.duplicates.push({
        id,
        other_household_id: match.other_household_id,
        ...(match.other_index !== undefined ? { other_index: match.other_index } : {}),
        score: match.score,
        reason: match.reason,
      });
      rows.push({
        id,
        household_id: entry.id,
        other_household_id: match.other_household_id,
        score: match.score,
        reason: match.reason,
        status: 'open',
        kept_household_id: null,
        resolved_by: null,
        resolved_at: null,
        created_at: now,
      });
    }
  }
  return rows;
}

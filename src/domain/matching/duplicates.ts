/**
 * Likely-duplicate detection among households, pure: blocking (which pairs are compared at
 * all) and scoring (whether a pair is a likely duplicate). The registry feeds it the registered
 * households of the blocks the new ones fall in, and records what it returns for review.
 */
import { nameSimilarity } from '../text/arabic.js';

/** The name keys that put two households in one block for comparison. */
export const blockingKeys = ['given_father_key', 'family_given_key', 'family_father_key'] as const;
export type BlockingKey = (typeof blockingKeys)[number];

/** What is compared of a household. */
export interface Comparable extends Record<BlockingKey, string | null> {
  id: string;
  full_name_normalized: string;
  household_size: number;
  phone: string | null;
}

/** Names at least this close (nameSimilarity) with the same size or phone are flagged. */
export const duplicateNameThreshold = 0.9;

/**
 * Most households one new household is compared with per block: a safety bound on the work
 * (nameSimilarity costs ~0.1 ms) should a block ever grow large; blocks are normally tiny.
 */
export const maxBlockComparisons = 50;

export interface DuplicateScore {
  /** nameSimilarity of the normalised full names, to three decimals. */
  score: number;
  /** What matched, e.g. `name+size` or `name+size+phone`. */
  reason: string;
}

/** Scores two households; a likely duplicate needs close names and the same size or phone. */
export function compareHouseholds(a: Comparable, b: Comparable): DuplicateScore | null {
  const sameSize = a.household_size === b.household_size;
  const samePhone = a.phone !== null && a.phone === b.phone;
  if (!sameSize && !samePhone) return null;
  const score = nameSimilarity(a.full_name_normalized, b.full_name_normalized);
  if (score < duplicateNameThreshold) return null;
  const reasons = ['name', ...(sameSize ? ['size'] : []), ...(samePhone ? ['phone'] : [])];
  return { score: Math.round(score * 1000) / 1000, reason: reasons.join('+') };
}

/** The blocks a household falls in: each blocking key with its size, and its phone. */
export function blocksOf(household: Comparable): string[] {
  const blocks = blockingKeys.flatMap((key) => {
    const value = household[key];
    return value === null ? [] : [`${key}|${household.household_size}|${value}`];
  });
  if (household.phone !== null) blocks.push(`phone|${household.phone}`);
  return blocks;
}

export interface IncomingHousehold {
  household: Comparable;
  /** Its position in the caller's batch, reported when a later one matches it. */
  index: number;
}

export interface LikelyDuplicate extends DuplicateScore {
  /** Position in `incoming` of the new household that matched. */
  from: number;
  other_household_id: string;
  /** Set when the other household is an earlier one of `incoming` (its batch index). */
  other_index?: number;
}

/**
 * The likely duplicates of each incoming household among the registered ones and the incoming
 * ones before it, in discovery order; each pair is reported once per incoming household.
 */
export function findLikelyDuplicates(
  registered: readonly Comparable[],
  incoming: readonly IncomingHousehold[],
): LikelyDuplicate[] {
  const match = likelyDuplicateMatcher(registered);
  return incoming.flatMap((entry, from) => match(entry, from));
}

/**
 * findLikelyDuplicates one incoming household at a time (so a caller may pause between them):
 * each call answers the likely duplicates of `entry`, the `from`-th incoming household, among
 * the registered ones and those passed before it.
 */
export function likelyDuplicateMatcher(
  registered: readonly Comparable[],
): (entry: IncomingHousehold, from: number) => LikelyDuplicate[] {
  // Each block holds registered households, then the new ones as they are reached.
  const blocks = new Map<string, { household: Comparable; index?: number }[]>();
  for (const row of registered) {
    for (const block of blocksOf(row)) pushTo(blocks, block, { household: row });
  }
  return (entry, from) => {
    const found: LikelyDuplicate[] = [];
    const seen = new Set<string>();
    for (const block of blocksOf(entry.household)) {
      const members = blocks.get(block) ?? [];
      for (const other of members.slice(-maxBlockComparisons)) {
        if (seen.has(other.household.id)) continue;
        seen.add(other.household.id);
        const match = compareHouseholds(entry.household, other.household);
        if (!match) continue;
        found.push({
          from,
          other_household_id: other.household.id,
          ...(other.index !== undefined ? { other_index: other.index } : {}),
          ...match,
        });
      }
      pushTo(blocks, block, { household: entry.household, index: entry.index });
    }
    return found;
  };
}

function pushTo<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

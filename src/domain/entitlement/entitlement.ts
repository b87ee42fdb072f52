/**
 * Pure evaluation of programme rules for one household. The SQL compiled from the same rules
 * (modules/programmes/programmes.rules-sql.ts) must agree with this function; a property
 * test on both dialects checks that it does.
 */
import { defaultStatuses, type Eligibility, type ItemRule, type ProgrammeRules } from './rules.js';

/** What the rules look at in a household. */
export interface HouseholdFacts {
  status: string;
  household_size: number;
  tags: readonly string[];
  /** The household's area path, e.g. '/SY06/SY0600/SY060000/'. */
  area_path: string;
}

export interface EntitlementLine {
  commodity: string;
  quantity: number;
}

/** True when the household meets every eligibility condition the rules set. */
export function isEligible(household: HouseholdFacts, eligibility: Eligibility = {}): boolean {
  const statuses = eligibility.statuses ?? defaultStatuses;
  if (!statuses.some((status) => status === household.status)) return false;
  const tags = new Set(household.tags);
  if (eligibility.tags_any && !eligibility.tags_any.some((tag) => tags.has(tag))) return false;
  if (eligibility.tags_all && !eligibility.tags_all.every((tag) => tags.has(tag))) return false;
  if (eligibility.tags_none?.some((tag) => tags.has(tag))) return false;
  if (
    eligibility.area_pcodes &&
    !eligibility.area_pcodes.some((pcode) => household.area_path.includes(`/${pcode}/`))
  ) {
    return false;
  }
  return true;
}

/**
 * The quantity one item rule gives a household of this size: the first tier whose size_max
 * is at least the size (the last tier is open), or per_person x size clamped to [min, max].
 */
export function itemQuantity(item: ItemRule, householdSize: number): number {
  if (item.tiers) {
    const tier = item.tiers.find((candidate) =>
      candidate.size_max === undefined ? true : householdSize <= candidate.size_max,
    );
    return tier?.quantity ?? 0;
  }
  const raw = (item.per_person ?? 0) * householdSize;
  const atLeast = Math.max(raw, item.min ?? 0);
  return item.max === undefined ? atLeast : Math.min(atLeast, item.max);
}

/**
 * What the household is entitled to under the rules: one line per item with a positive
 * quantity, in rule order; nothing when it is not eligible.
 */
export function entitlementFor(
  household: HouseholdFacts,
  rules: ProgrammeRules,
): EntitlementLine[] {
  if (!isEligible(household, rules.eligibility)) return [];
  return rules.items
    .map((item) => ({
      commodity: item.commodity,
      quantity: itemQuantity(item, household.household_size),
    }))
    .filter((line) => line.quantity > 0);
}

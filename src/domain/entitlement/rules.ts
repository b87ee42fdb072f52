/**
 * Programme rules: who is eligible and how much of each commodity a household is entitled to.
 * The shape is documented in docs/programme-rules.md; quantities are integers in the
 * commodity's base unit. Pure: no I/O; the service checks that named commodities, tags and
 * areas exist.
 */

export const householdStatuses = ['active', 'suspended', 'moved', 'deceased', 'merged'] as const;
export type HouseholdStatusName = (typeof householdStatuses)[number];

/** Every key is optional; an absent key does not restrict. */
export interface Eligibility {
  /** Default ['active']. */
  statuses?: readonly HouseholdStatusName[];
  /** At least one of these tags. */
  tags_any?: readonly string[];
  /** Every one of these tags. */
  tags_all?: readonly string[];
  /** None of these tags. */
  tags_none?: readonly string[];
  /** Households in one of these areas or anywhere beneath them. */
  area_pcodes?: readonly string[];
}

/** Household size up to `size_max` (inclusive) gets `quantity`; the last tier has no `size_max`. */
export interface Tier {
  size_max?: number;
  quantity: number;
}

/**
 * One commodity's rule: either `per_person` (times household size, clamped to [min, max])
 * or `tiers` by household size.
 */
export interface ItemRule {
  commodity: string;
  per_person?: number;
  min?: number;
  max?: number;
  tiers?: readonly Tier[];
  /** The most handed over per day (days in the deployment's time zone); none when absent. */
  per_day_max?: number;
  /** The most handed over in one hand-over; none when absent. */
  per_visit_max?: number;
}

export interface ProgrammeRules {
  eligibility?: Eligibility;
  items: readonly ItemRule[];
}

export const defaultStatuses: readonly HouseholdStatusName[] = ['active'];

/** Upper bound of any quantity in a rule; keeps every product far below 2^53. */
export const maxRuleQuantity = 1_000_000_000;
/** Upper bound of a tier's `size_max`. */
export const maxTierSize = 1000;

export interface RuleIssue {
  /** JSON pointer inside the rules object, e.g. "/items/1/tiers/0/size_max". */
  path: string;
  message: string;
}

function isWholeNumber(value: unknown, minimum: number, maximum: number): value is number {
  return (
    typeof value === 'number' && Number.isSafeInteger(value) && value >= minimum && value <= maximum
  );
}

/**
 * Checks what a JSON schema cannot: exactly one of per_person or tiers, min <= max, tiers in
 * increasing size_max with only the last one open, each commodity once. Returns no issues
 * when the rules are sound.
 */
export function checkRules(rules: ProgrammeRules): RuleIssue[] {
  const issues: RuleIssue[] = [];
  if (rules.items.length === 0) issues.push({ path: '/items', message: 'needs at least one item' });
  const seen = new Set<string>();
  rules.items.forEach((item, index) => {
    const at = `/items/${index}`;
    if (seen.has(item.commodity)) {
      issues.push({ path: `${at}/commodity`, message: 'appears more than once' });
    }
    seen.add(item.commodity);
    for (const limit of ['per_day_max', 'per_visit_max'] as const) {
      const value = item[limit];
      if (value !== undefined && !isWholeNumber(value, 1, maxRuleQuantity)) {
        issues.push({
          path: `${at}/${limit}`,
          message: `must be an integer 1..${maxRuleQuantity}`,
        });
      }
    }
    const hasPerPerson = item.per_person !== undefined;
    const hasTiers = item.tiers !== undefined;
    if (hasPerPerson === hasTiers) {
      issues.push({ path: at, message: 'needs exactly one of per_person or tiers' });
      return;
    }
    if (hasPerPerson) {
      if (!isWholeNumber(item.per_person, 1, maxRuleQuantity)) {
        issues.push({
          path: `${at}/per_person`,
          message: `must be an integer 1..${maxRuleQuantity}`,
        });
      }
      for (const bound of ['min', 'max'] as const) {
        const value = item[bound];
        if (value !== undefined && !isWholeNumber(value, 0, maxRuleQuantity)) {
          issues.push({
            path: `${at}/${bound}`,
            message: `must be an integer 0..${maxRuleQuantity}`,
          });
        }
      }
      if (item.min !== undefined && item.max !== undefined && item.min > item.max) {
        issues.push({ path: `${at}/min`, message: 'must not exceed max' });
      }
      return;
    }
    if (item.min !== undefined || item.max !== undefined) {
      issues.push({ path: at, message: 'min and max apply to per_person only' });
    }
    const tiers = item.tiers ?? [];
    if (tiers.length === 0)
      issues.push({ path: `${at}/tiers`, message: 'needs at least one tier' });
    let previousMax = 0;
    tiers.forEach((tier, tierIndex) => {
      const tierAt = `${at}/tiers/${tierIndex}`;
      const last = tierIndex === tiers.length - 1;
      if (!isWholeNumber(tier.quantity, 0, maxRuleQuantity)) {
        issues.push({
          path: `${tierAt}/quantity`,
          message: `must be an integer 0..${maxRuleQuantity}`,
        });
      }
      if (last) {
        if (tier.size_max !== undefined) {
          issues.push({
            path: `${tierAt}/size_max`,
            message: 'the last tier must be open (no size_max)',
          });
        }
        return;
      }
      if (tier.size_max === undefined) {
        issues.push({ path: `${tierAt}/size_max`, message: 'only the last tier may be open' });
      } else if (!isWholeNumber(tier.size_max, previousMax + 1, maxTierSize)) {
        issues.push({
          path: `${tierAt}/size_max`,
          message: `must be an integer greater than the previous tier's and at most ${maxTierSize}`,
        });
      } else {
        previousMax = tier.size_max;
      }
    });
  });
  return issues;
}

/** Each commodity's per-day and per-visit limits (null: none), by commodity code. */
export function ruleLimits(
  rules: ProgrammeRules,
): Map<string, { perDayMax: number | null; perVisitMax: number | null }> {
  return new Map(
    rules.items.map((item) => [
      item.commodity,
      { perDayMax: item.per_day_max ?? null, perVisitMax: item.per_visit_max ?? null },
    ]),
  );
}

/** The commodity codes the rules hand out, in rule order. */
export function ruleCommodities(rules: ProgrammeRules): string[] {
  return rules.items.map((item) => item.commodity);
}

/** Every tag the rules name, for checking against the configured list. */
export function ruleTags(rules: ProgrammeRules): { path: string; tag: string }[] {
  const tags: { path: string; tag: string }[] = [];
  for (const key of ['tags_any', 'tags_all', 'tags_none'] as const) {
    rules.eligibility?.[key]?.forEach((tag, index) =>
      tags.push({ path: `/eligibility/${key}/${index}`, tag }),
    );
  }
  return tags;
}

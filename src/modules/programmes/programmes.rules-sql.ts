/**
 * Programme rules compiled to SQL, so previews and cycle opening evaluate a million households
 * in the database instead of in JavaScript. Must agree with the pure `entitlementFor`
 * (domain/entitlement); programmes.rules-sql.test.ts checks that on both dialects.
 *
 * Integers from validated rules are inlined as literals (sql.lit after a safe-integer check):
 * PostgreSQL cannot type parameters that stand alone in a CASE branch. Strings (statuses,
 * tags) are always bound parameters.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { areaInScopeExpression } from '../../db/scope.js';
import type { Scope } from '../../domain/actor.js';
import {
  defaultStatuses,
  type ProgrammeRules,
  type Eligibility,
  type ItemRule,
} from '../../domain/entitlement/rules.js';

function integer(value: number): RawBuilder<number> {
  if (!Number.isSafeInteger(value)) throw new Error(`rule value ${value} is not a safe integer`);
  return sql.lit(value);
}

/**
 * True for the households (the table aliased `householdAlias`) the eligibility admits.
 * `areaPaths` maps each p-code in `area_pcodes` to its area path; unknown p-codes match nothing.
 */
export function eligibilitySql(
  eligibility: Eligibility | undefined,
  areaPaths: ReadonlyMap<string, string>,
  householdAlias = 'h',
): Expression<SqlBool> {
  const household = (column: string) => sql.ref(`${householdAlias}.${column}`);
  const tagExists = (tags: readonly string[]) =>
    sql`exists (select 1 from household_tags as rule_tags where rule_tags.household_id = ${household('id')} and rule_tags.tag in (${sql.join(tags)}))`;
  const conditions: RawBuilder<unknown>[] = [
    sql`${household('status')} in (${sql.join([...(eligibility?.statuses ?? defaultStatuses)])})`,
  ];
  if (eligibility?.tags_any) conditions.push(tagExists(eligibility.tags_any));
  for (const tag of eligibility?.tags_all ?? []) conditions.push(tagExists([tag]));
  if (eligibility?.tags_none) conditions.push(sql`not ${tagExists(eligibility.tags_none)}`);
  if (eligibility?.area_pcodes) {
    const paths = eligibility.area_pcodes.flatMap((pcode) => {
      const path = areaPaths.get(pcode);
      return path === undefined ? [] : [path];
    });
    conditions.push(
      sql`${areaInScopeExpression({ kind: 'areas', paths }, `${householdAlias}.area_pcode`)}`,
    );
  }
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

/**
 * The quantity of one item for a household whose size is the expression `size`: the first
 * tier covering the size, or per_person x size clamped to [min, max]. Computed in bigint.
 */
export function itemQuantitySql(item: ItemRule, size: Expression<number>): RawBuilder<number> {
  if (item.tiers) {
    const open = item.tiers.at(-1);
    const bounded = item.tiers.slice(0, -1);
    const last = integer(open?.quantity ?? 0);
    if (bounded.length === 0) return last;
    const branches = bounded.map(
      (tier) => sql`when ${size} <= ${integer(tier.size_max ?? 0)} then ${integer(tier.quantity)}`,
    );
    return sql<number>`(case ${sql.join(branches, sql` `)} else ${last} end)`;
  }
  let quantity = sql<number>`(cast(${size} as bigint) * ${integer(item.per_person ?? 0)})`;
  if (item.min !== undefined) {
    const min = integer(item.min);
    quantity = sql<number>`(case when ${quantity} < ${min} then ${min} else ${quantity} end)`;
  }
  if (item.max !== undefined) {
    const max = integer(item.max);
    quantity = sql<number>`(case when ${quantity} > ${max} then ${max} else ${quantity} end)`;
  }
  return quantity;
}

/** True for households in one of the areas (given by path) or beneath them. */
export function withinAreasSql(
  paths: readonly string[],
  areaPcodeColumn: string,
): Expression<SqlBool> {
  return areaInScopeExpression({ kind: 'areas', paths: [...paths] }, areaPcodeColumn);
}

export interface HouseholdSelection {
  rules: ProgrammeRules;
  /** Paths of the p-codes the rules' eligibility names. */
  ruleAreaPaths: ReadonlyMap<string, string>;
  /** Only households at or beneath these area paths (a cycle's areas), when given. */
  withinPaths?: readonly string[];
  scope: Scope;
}

/** The households (aliased `h`) the selection admits, as one boolean expression. */
export function selectionSql(selection: HouseholdSelection): Expression<SqlBool> {
  const conditions = [eligibilitySql(selection.rules.eligibility, selection.ruleAreaPaths, 'h')];
  if (selection.withinPaths) conditions.push(withinAreasSql(selection.withinPaths, 'h.area_pcode'));
  if (selection.scope.kind !== 'all') {
    conditions.push(areaInScopeExpression(selection.scope, 'h.area_pcode'));
  }
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

/**
 * The SQL of household search: the filter (scope, area, status, tag), identifier lookups and
 * the name-token planner, which picks per query the plan that reads the fewest index rows.
 */
import { PostgresAdapter, sql, type Expression, type SqlBool } from 'kysely';
import type { HouseholdStatus } from '../../db/database.js';
import { areaInScopeExpression, whereAreaInScope } from '../../db/scope.js';
import type { Executor } from '../../db/transaction.js';
import type { Scope } from '../../domain/actor.js';
import { findByNationalIds, findCards, LIST_CHUNK } from './households.repository.js';

export interface HouseholdFilter {
  scope: Scope;
  /** Path of an area: only households at or beneath it. */
  areaPath?: string;
  tag?: string;
  /** Undefined: every status but `merged`. */
  status?: HouseholdStatus;
  /** Only ids after this one (the cursor). */
  afterId?: string;
  limit: number;
}

/** A name query: tokens matched exactly, and at most one matched as a prefix. */
export interface NameQuery {
  exact: string[];
  prefix: string | null;
}

/** Above this many rows a token counts as common; counting stops there, so it stays cheap. */
const COMMON_TOKEN_ROWS = 2000;
/** A prefix naming more distinct tokens than this is searched as a range, not token by token. */
const PREFIX_TOKENS = 32;
/** Sorts after every character, so [p, p + this) is "starts with p" in byte order. */
const PREFIX_END = '\u{10FFFF}';

/**
 * The p-codes of the areas the filter admits (the actor's scope, within `areaPath` when given),
 * or null when every area is admitted. Read once per search, because the scope as a subquery on
 * `areas.path` (LIKE) misleads both planners into driving a name search from every household
 * of the scope (seconds on a million) instead of from the token index.
 */
async function filterAreaCodes(db: Executor, filter: HouseholdFilter): Promise<string[] | null> {
  if (filter.scope.kind === 'all' && filter.areaPath === undefined) return null;
  let query = whereAreaInScope(db.selectFrom('areas').select('pcode'), filter.scope, 'areas.pcode');
  if (filter.areaPath !== undefined) {
    query = query.where(
      areaInScopeExpression({ kind: 'areas', paths: [filter.areaPath] }, 'areas.pcode'),
    );
  }
  return (await query.execute()).map((row) => row.pcode);
}

/**
 * The filter as conditions on `h`. The area list is matched through an expression (`|| ''`) so
 * that neither planner picks the area index to drive the query: the list is the whole registry
 * or a large part of it, never the selective condition.
 */
function filterConditions(
  filter: HouseholdFilter,
  areaCodes: readonly string[] | null,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (areaCodes !== null) {
    conditions.push(
      areaCodes.length === 0
        ? sql<SqlBool>`1 = 0`
        : sql<SqlBool>`(h.area_pcode || '') in (${sql.join(areaCodes)})`,
    );
  }
  conditions.push(
    filter.status === undefined
      ? sql<SqlBool>`h.status <> 'merged'`
      : sql<SqlBool>`h.status = ${filter.status}`,
  );
  if (filter.tag !== undefined) {
    conditions.push(
      sql<SqlBool>`exists (select 1 from household_tags as filter_tags where filter_tags.household_id = h.id and filter_tags.tag = ${filter.tag})`,
    );
  }
  return conditions;
}

/**
 * The household in `idColumn` has the token. Probing the driving list's column (not h.id) lets
 * the database test it before fetching the household row.
 */
function exactProbe(token: string, idColumn = 'h.id'): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from household_name_tokens as probe where probe.household_id = ${sql.ref(idColumn)} and probe.token = ${token})`;
}

function prefixProbe(prefix: string, idColumn = 'h.id'): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from household_name_tokens as probe where probe.household_id = ${sql.ref(idColumn)} and probe.token >= ${prefix} and probe.token < ${prefix + PREFIX_END})`;
}

/** Rows of the token index for a token (or prefix), counted up to `cap`. */
async function countTokenRows(
  db: Executor,
  token: string,
  prefix: boolean,
  cap: number,
): Promise<number> {
  let inner = db
    .selectFrom('household_name_tokens')
    .select(sql<number>`1`.as('one'))
    .limit(cap);
  inner = prefix
    ? inner.where('token', '>=', token).where('token', '<', token + PREFIX_END)
    : inner.where('token', '=', token);
  const row = await db
    .selectFrom(inner.as('matches'))
    .select((eb) => eb.fn.countAll<number>().as('rows'))
    .executeTakeFirstOrThrow();
  return Number(row.rows);
}

interface TokenEstimate {
  token: string;
  prefix: boolean;
  /** Index rows, counted up to a cap. */
  rows: number;
}

/** The rows of the token index that match one token: equal to it, or starting with it. */
function tokenRows(
  db: Executor,
  estimate: Pick<TokenEstimate, 'token' | 'prefix'>,
  afterId?: string,
) {
  let list = db.selectFrom('household_name_tokens').select('household_id');
  list = estimate.prefix
    ? list.where('token', '>=', estimate.token).where('token', '<', estimate.token + PREFIX_END)
    : list.where('token', '=', estimate.token);
  return afterId === undefined ? list : list.where('household_id', '>', afterId);
}

function probe(estimate: TokenEstimate, idColumn: string): Expression<SqlBool> {
  return estimate.prefix
    ? prefixProbe(estimate.token, idColumn)
    : exactProbe(estimate.token, idColumn);
}

/**
 * `probe` of `h.id`, kept a test per household: OFFSET 0 stops PostgreSQL from turning the
 * EXISTS into a join driven by the token range (it estimates a prefix range at about one row,
 * then reads, joins and sorts every household of a common prefix), so a walk in household
 * order stops once the page is full. SQLite runs it the same either way.
 */
function walkProbe(estimate: TokenEstimate): Expression<SqlBool> {
  const match = estimate.prefix
    ? sql`probe.token >= ${estimate.token} and probe.token < ${estimate.token + PREFIX_END}`
    : sql`probe.token = ${estimate.token}`;
  return sql<SqlBool>`exists (select 1 from household_name_tokens as probe where probe.household_id = h.id and ${match} limit 1 offset 0)`;
}

/**
 * The distinct tokens starting with `prefix`, in order, or null when there are more than `cap`.
 * A skip scan: one index seek per token (each `min` is the first key after the previous one),
 * however many rows each token has.
 */
async function prefixTokens(db: Executor, prefix: string, cap: number): Promise<string[] | null> {
  const end = prefix + PREFIX_END;
  const { rows } = await sql<{ token: string }>`
    with recursive expansion (token) as (
      select min(token) from household_name_tokens where token >= ${prefix} and token < ${end}
      union all
      select (select min(next.token) from household_name_tokens as next
              where next.token > expansion.token and next.token < ${end})
      from expansion where expansion.token is not null
    )
    select token from expansion where token is not null limit ${cap + 1}`.execute(db);
  return rows.length > cap ? null : rows.map((row) => row.token);
}

/**
 * The households holding one of `tokens`, in household order: one index range per token, each
 * already in household order, merged (PostgreSQL's Merge Append). Each range is a subquery with
 * its own ORDER BY, because PostgreSQL merges ordered subqueries but sorts a plain UNION ALL
 * (and a sort of ids under the database collation costs far more than reading them).
 */
function orderedTokenList(tokens: readonly string[], afterId: string | undefined) {
  const after = afterId === undefined ? sql`` : sql` and household_id > ${afterId}`;
  const [only] = tokens;
  if (tokens.length === 1 && only !== undefined) {
    return sql`(select household_id from household_name_tokens where token = ${only}${after})`;
  }
  return sql`(${sql.join(
    tokens.map(
      (token) =>
        sql`select household_id from (select household_id from household_name_tokens where token = ${token}${after} order by household_id) as one_token`,
    ),
    sql` union all `,
  )})`;
}

/**
 * PostgreSQL, the prefix naming few tokens: each query token becomes a list of household ids in
 * household order (an exact token: its index range; the prefix: its tokens' ranges merged), and
 * the lists are joined with each other and the households in that order, so the page stops as
 * soon as it is full and no list is sorted or counted. The generic plans below cost more here:
 * their INTERSECT reads every list whole and sorts it, a prefix range must be sorted (ids
 * compare under the database collation, slowly), and the walk of households probes a token
 * per household (thousands of index seeks for a page of a name 1% of households have).
 */
async function searchByTokenLists(
  db: Executor,
  lists: readonly (readonly string[])[],
  filter: HouseholdFilter,
  areaCodes: readonly string[] | null,
  page: number,
): Promise<string[]> {
  const joined = lists.map((tokens, index) => {
    const list = sql`${orderedTokenList(tokens, filter.afterId)} as ${sql.ref(`list${index}`)}`;
    return index === 0
      ? list
      : sql`join ${list} on ${sql.ref(`list${index}.household_id`)} = list0.household_id`;
  });
  // A household holding two tokens of one prefix comes twice out of its list.
  const distinct = lists.some((tokens) => tokens.length > 1) ? sql`distinct ` : sql``;
  const { rows } = await sql<{ id: string }>`
    select ${distinct}list0.household_id as id
    from ${sql.join(joined, sql` `)}
    join households as h on h.id = list0.household_id
    where ${sql.join(filterConditions(filter, areaCodes), sql` and `)}
    order by list0.household_id
    limit ${page}`.execute(db);
  return rows.map((row) => row.id);
}

/**
 * Ids of the households matching every token of the name query and the filter, in id order,
 * one page (limit + 1 rows, so the caller knows whether more follow). No plan scans the
 * registry.
 *
 * On PostgreSQL, when the prefix names at most `listPrefixTokens` distinct tokens (a name typed
 * whole names one or a few), every query token becomes an ordered list of household ids, and the
 * lists are merge-joined (`searchByTokenLists`), whatever their lengths; the planner's token
 * statistics pick the join. Otherwise (and on SQLite, whose plans below already meet the target),
 * token counts are capped, so estimating them costs little:
 *
 * - a rare token (fewer than `commonTokenRows` index rows) drives and the others are probed per
 *   candidate; an exact driver is read in household order, so the page stops early;
 * - when every token is common, the lists of those below `25 x commonTokenRows` rows are read
 *   index-only and intersected (a merge of sorted lists: cheap), and the rest are probed on the
 *   intersection; probing one long list row by row instead costs a seek per row when matches
 *   are sparse (e.g. "محمد احمد");
 * - a single common token, or only huge ones: an exact token is read in household order with
 *   probes; a prefix alone walks households in id order, which fills a page fast precisely
 *   because the prefix is common.
 */
export async function searchByName(
  db: Executor,
  name: NameQuery,
  filter: HouseholdFilter,
  /** Tests lower these to drive every plan on a small registry (0 prefix tokens: no lists). */
  commonTokenRows = COMMON_TOKEN_ROWS,
  listPrefixTokens = PREFIX_TOKENS,
): Promise<string[]> {
  const tokens = [
    ...name.exact.map((token) => ({ token, prefix: false })),
    ...(name.prefix === null ? [] : [{ token: name.prefix, prefix: true }]),
  ];
  if (tokens.length === 0) return [];
  const page = filter.limit + 1;

  if (listPrefixTokens > 0 && db.getExecutor().adapter instanceof PostgresAdapter) {
    const lists: string[][] = [];
    for (const token of tokens) {
      const list = token.prefix
        ? await prefixTokens(db, token.token, listPrefixTokens)
        : [token.token];
      if (list === null) break;
      if (list.length === 0) return [];
      lists.push(list);
    }
    if (lists.length === tokens.length) {
      return searchByTokenLists(db, lists, filter, await filterAreaCodes(db, filter), page);
    }
  }

  // One at a time: each count is a short capped index range, and a pool stays on one connection.
  const estimates: TokenEstimate[] = [];
  for (const token of tokens) {
    estimates.push({
      ...token,
      rows: await countTokenRows(db, token.token, token.prefix, commonTokenRows),
    });
  }
  if (estimates.some((estimate) => estimate.rows === 0)) return [];
  // Fewest rows first; among common tokens, exact before prefix, then the longer token.
  estimates.sort(
    (a, b) =>
      a.rows - b.rows ||
      Number(a.prefix) - Number(b.prefix) ||
      Array.from(b.token).length - Array.from(a.token).length,
  );
  const [driver, ...others] = estimates as [TokenEstimate, ...TokenEstimate[]];
  const areaCodes = await filterAreaCodes(db, filter);

  if (driver.rows >= commonTokenRows && others.length > 0) {
    const listCap = commonTokenRows * 25;
    const lists: TokenEstimate[] = [];
    const huge: TokenEstimate[] = [];
    for (const estimate of estimates) {
      const rows = await countTokenRows(db, estimate.token, estimate.prefix, listCap);
      (rows < listCap ? lists : huge).push({ ...estimate, rows });
    }
    const [first, ...rest] = lists;
    if (first) {
      // Two steps, so neither planner can turn the join into a walk of the whole registry: the
      // intersection's ids in order, a batch at a time, then the households among them that
      // pass the filter.
      const found: string[] = [];
      let after = filter.afterId;
      for (;;) {
        const intersection = rest.reduce(
          (result, estimate) => result.intersect(tokenRows(db, estimate, after)),
          // Alone, a prefix list may name a household twice: distinct, as intersect would.
          tokenRows(db, first, after).distinct(),
        );
        const candidates = (
          await db
            .selectFrom(intersection.as('m'))
            .select('m.household_id as id')
            .orderBy('m.household_id')
            .limit(LIST_CHUNK)
            .execute()
        ).map((row) => row.id);
        if (candidates.length === 0) return found;
        const rows = await db
          .selectFrom('households as h')
          .select('h.id as id')
          .where('h.id', 'in', candidates)
          .where((eb) =>
            eb.and([
              ...huge.map((estimate) => probe(estimate, 'h.id')),
              ...filterConditions(filter, areaCodes),
            ]),
          )
          .orderBy('h.id')
          .limit(page - found.length)
          .execute();
        found.push(...rows.map((row) => row.id));
        if (found.length >= page || candidates.length < LIST_CHUNK) return found;
        after = candidates[candidates.length - 1];
      }
    }
  }

  if (driver.prefix && driver.rows >= commonTokenRows) {
    let query = db
      .selectFrom('households as h')
      .select('h.id as id')
      .where((eb) =>
        eb.and([
          walkProbe(driver),
          ...others.map(walkProbe),
          ...filterConditions(filter, areaCodes),
        ]),
      );
    if (filter.afterId !== undefined) query = query.where('h.id', '>', filter.afterId);
    const rows = await query.orderBy('h.id').limit(page).execute();
    return rows.map((row) => row.id);
  }

  let query = db
    .selectFrom('household_name_tokens as d')
    .innerJoin('households as h', 'h.id', 'd.household_id')
    .select('d.household_id as id')
    .where((eb) =>
      eb.and([
        ...others.map((estimate) => probe(estimate, 'd.household_id')),
        ...filterConditions(filter, areaCodes),
      ]),
    );
  query = driver.prefix
    ? query.where('d.token', '>=', driver.token).where('d.token', '<', driver.token + PREFIX_END)
    : query.where('d.token', '=', driver.token);
  if (filter.afterId !== undefined) query = query.where('d.household_id', '>', filter.afterId);
  // Two tokens of one household can share a prefix: distinct keeps each household once.
  if (driver.prefix) query = query.distinct();
  const rows = await query.orderBy('d.household_id').limit(page).execute();
  return rows.map((row) => row.id);
}

/** One page of the households in the filter, optionally only among `ids`, in id order. */
export async function listHouseholdIds(
  db: Executor,
  filter: HouseholdFilter,
  ids?: readonly string[],
): Promise<string[]> {
  if (ids !== undefined && ids.length === 0) return [];
  const areaCodes = await filterAreaCodes(db, filter);
  let query = db
    .selectFrom('households as h')
    .select('h.id as id')
    .where((eb) => eb.and(filterConditions(filter, areaCodes)));
  if (ids !== undefined) query = query.where('h.id', 'in', [...ids].slice(0, LIST_CHUNK));
  if (filter.afterId !== undefined) query = query.where('h.id', '>', filter.afterId);
  const rows = await query
    .orderBy('h.id')
    .limit(filter.limit + 1)
    .execute();
  return rows.map((row) => row.id);
}

/** Households holding this card number (current or revoked), this phone or this national id. */
export async function findIdsByIdentifiers(
  db: Executor,
  identifiers: { cardNumber?: string; phone?: string; nationalId?: string },
): Promise<string[]> {
  const ids = new Set<string>();
  if (identifiers.cardNumber !== undefined) {
    for (const card of await findCards(db, [identifiers.cardNumber])) ids.add(card.household_id);
  }
  if (identifiers.phone !== undefined) {
    const rows = await db
      .selectFrom('households')
      .select('id')
      .where('phone', '=', identifiers.phone)
      .limit(LIST_CHUNK)
      .execute();
    for (const row of rows) ids.add(row.id);
  }
  if (identifiers.nationalId !== undefined) {
    for (const row of await findByNationalIds(db, [identifiers.nationalId])) ids.add(row.id);
  }
  return [...ids];
}

/**
 * Reading households: one by id, or a page of a search in the actor's scope (a name in any
 * spelling, a card number, a phone or a national id). What is shown to a person is recorded as
 * a read of personal data; the variants without the record are for callers that record it
 * themselves (exports, card sheets).
 */
import type { Storage } from '../../db/connect.js';
import type { Executor } from '../../db/transaction.js';
import { checkCardNumber } from '../../domain/identity/card-number.js';
import { normalizePhone } from '../../domain/identity/phone.js';
import { areaInScope, type Actor } from '../../domain/actor.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { recordPersonalDataReads } from '../audit/audit.service.js';
import { loadHouseholdConfig, type HouseholdConfig } from './households.config.js';
import { searchTokens } from './households.names.js';
import { personalFieldsFor, presentHousehold } from './households.presenter.js';
import {
  findAreas,
  findHouseholds,
  findMembers,
  findTags,
  type HouseholdRow,
} from './households.repository.js';
import type { HouseholdListInput, HouseholdView } from './households.schema.js';
import {
  findIdsByIdentifiers,
  listHouseholdIds,
  searchByName,
  type HouseholdFilter,
} from './households.search.repository.js';
import { cleanPcode } from './households.shared.js';

// What other modules may read of this module's tables (they never import its repository).
export { findHousehold } from './households.repository.js';

/**
 * The household as the actor may see it (members included), or NotFoundError when missing or
 * outside the scope; logs nothing (callers that show it to a person log the read).
 */
export async function getHouseholdView(
  db: Executor,
  actor: Actor,
  id: string,
  withMembers = true,
): Promise<HouseholdView> {
  const [row] = await findHouseholds(db, [id]);
  if (!row || !areaInScope(actor.scope, row.area_path)) throw new NotFoundError('household');
  const tags = (await findTags(db, [id])).map((tag) => tag.tag);
  const members = withMembers ? await findMembers(db, [id]) : undefined;
  return presentHousehold(row, actor.role, tags, members);
}

/**
 * Returns one household (404 when missing or outside the scope), after recording the read of
 * its personal data in the audit log.
 */
export async function getHousehold(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  id: string,
  clock: Clock,
): Promise<HouseholdView> {
  const view = await getHouseholdView(storage.db, actor, id, true);
  await recordPersonalDataReads(
    storage,
    actor,
    'household',
    [id],
    personalFieldsFor(actor.role, true),
    clock,
  );
  return view;
}

const cursorPattern = /^[A-Za-z0-9_-]{1,200}$/u;

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id a cursor stands for; ValidationError when it is not one this server gave. */
export function decodeCursor(cursor: string, path = '/cursor'): string {
  if (!cursorPattern.test(cursor))
    throw new ValidationError([{ path, message: 'is not a valid cursor' }]);
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (id === '' || encodeCursor(id) !== cursor) {
    throw new ValidationError([{ path, message: 'is not a valid cursor' }]);
  }
  return id;
}

export interface HouseholdSearch {
  q?: string;
  area?: string;
  tag?: string;
  status?: HouseholdRow['status'];
  limit?: number;
  cursor?: string;
}

const letterPattern = /\p{L}/u;

/**
 * One page of the households in the actor's scope matching the search, in a stable order
 * (by id), with the cursor of the next page; `q` is a name in any spelling, or a card number,
 * phone or national id (an outlet clerk: a card number only). Returned personal data is
 * audit-logged, one event per household.
 */
export async function listHouseholds(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  search: HouseholdSearch | HouseholdListInput,
  clock: Clock,
): Promise<{ items: HouseholdView[]; next_cursor: string | null }> {
  const page = await searchHouseholds(storage.db, actor, search);
  await recordPersonalDataReads(
    storage,
    actor,
    'household',
    page.items.map((item) => item.id),
    personalFieldsFor(actor.role, false),
    clock,
  );
  return page;
}

/** The search of `listHouseholds` without the audit log (for callers that log themselves). */
export async function searchHouseholds(
  db: Executor,
  actor: Actor,
  search: HouseholdSearch,
  config?: HouseholdConfig,
): Promise<{ items: HouseholdView[]; next_cursor: string | null }> {
  const limit = search.limit ?? 50;
  const filter: HouseholdFilter = { scope: actor.scope, limit };
  if (search.cursor !== undefined) filter.afterId = decodeCursor(search.cursor);
  if (search.status !== undefined) filter.status = search.status;
  if (search.area !== undefined) {
    const pcode = cleanPcode(search.area) ?? '';
    const [area] = await findAreas(db, [pcode]);
    if (!area) throw new ValidationError([{ path: '/area', message: 'is not a known area' }]);
    filter.areaPath = area.path;
  }
  const registry = config ?? (await loadHouseholdConfig(db));
  if (search.tag !== undefined) {
    if (!registry.tags.some((tag) => tag.code === search.tag)) {
      throw new ValidationError([{ path: '/tag', message: 'is not a known tag' }]);
    }
    filter.tag = search.tag;
  }

  let ids: string[];
  const q = search.q?.trim() ?? '';
  if (actor.role === 'outlet_clerk') {
    // A clerk serves the card in front of them: a name, phone or national id would tell them
    // who is registered, which the counter never needs.
    const card = checkCardNumber(q);
    if (!card.ok) {
      throw new ValidationError([
        {
          path: '/q',
          message: 'must be a card number: outlet clerks search by card number only',
          code: 'card-number-only',
        },
      ]);
    }
    ids = await listHouseholdIds(
      db,
      filter,
      await findIdsByIdentifiers(db, { cardNumber: card.cardNumber }),
    );
    return presentPage(db, actor, ids, limit);
  }
  const nationalId = q === '' ? null : registry.nationalId(q);
  if (q === '') {
    ids = await listHouseholdIds(db, filter);
  } else if (!letterPattern.test(q) || nationalId?.ok) {
    // Digits: a card number (checked first, so a typo never reaches the database), a phone
    // in any local form, or a national id; each is an indexed equality lookup.
    const card = checkCardNumber(q);
    const phone = normalizePhone(q, registry.phoneCountry);
    const found = await findIdsByIdentifiers(db, {
      ...(card.ok ? { cardNumber: card.cardNumber } : {}),
      ...(phone.ok ? { phone: phone.e164 } : {}),
      ...(nationalId?.ok ? { nationalId: nationalId.nationalId } : {}),
    });
    ids = await listHouseholdIds(db, filter, found);
  } else {
    const tokens = searchTokens(q);
    ids =
      tokens.length === 0
        ? await listHouseholdIds(db, filter)
        : await searchByName(
            db,
            { exact: tokens.slice(0, -1), prefix: tokens[tokens.length - 1] ?? null },
            filter,
          );
  }

  return presentPage(db, actor, ids, limit);
}

/** The page of households `ids` (limit + 1 of them, so a next cursor is known) as the actor sees them. */
async function presentPage(
  db: Executor,
  actor: Actor,
  ids: readonly string[],
  limit: number,
): Promise<{ items: HouseholdView[]; next_cursor: string | null }> {
  const more = ids.length > limit;
  const pageIds = ids.slice(0, limit);
  const rows = await findHouseholds(db, pageIds);
  const tags = await findTags(db, pageIds);
  const items = rows.map((row) =>
    presentHousehold(
      row,
      actor.role,
      tags.filter((tag) => tag.household_id === row.id).map((tag) => tag.tag),
    ),
  );
  const last = pageIds[pageIds.length - 1];
  return { items, next_cursor: more && last !== undefined ? encodeCursor(last) : null };
}

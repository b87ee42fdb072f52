/**
 * Ration cards: the signing key, signed QR payloads, resolving what a clerk scans or types to a
 * household, reissuing a lost card, and the printable card sheet.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { checkCardNumber } from '../../domain/identity/card-number.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { slicePacer, unpaced, type Pace } from '../../shared/pacing.js';
import { appendAuditEvents, recordPersonalDataReads } from '../audit/audit.service.js';
import { randomCardNumber } from '../households/households.ids.js';
import type { HouseholdView } from '../households/households.schema.js';
import {
  getHouseholdView,
  searchHouseholds,
  type HouseholdSearch,
} from '../households/households.search.js';
import { todayIso } from '../households/households.shared.js';
import {
  cardNumberExists,
  findCardsWithHolders,
  findCurrentCards,
  findSetting,
  insertSettingIfAbsent,
  issueCard,
  revokeCards,
  signingKeySetting,
} from './cards.repository.js';
import { homesOfHouseholds } from '../service-points/service-points.service.js';
import { maxSheetCards } from './cards.schema.js';
import type { DigitStyle } from '../../shared/digits.js';
import { renderCardSheet, type SheetCard } from './cards.sheet.js';
import {
  isCardPayload,
  parsePrivateKey,
  publishPublicKey,
  signCardPayload,
  verifyCardPayload,
  type CardKeys,
} from './cards.signing.js';

/** The environment variable that supplies the signing key (PEM, or base64 of PKCS#8 DER). */
export const signingKeyVariable = 'AWN_CARD_SIGNING_KEY';

const parsedKeys = new Map<string, CardKeys>();

function keysFrom(text: string): CardKeys {
  let keys = parsedKeys.get(text);
  if (!keys) {
    keys = parsePrivateKey(text);
    parsedKeys.set(text, keys);
  }
  return keys;
}

/**
 * Returns the card signing keys: from AWN_CARD_SIGNING_KEY when set, otherwise the key stored in
 * `settings`, created on first use (a concurrent first use keeps exactly one).
 */
export async function loadCardKeys(
  db: Executor,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<CardKeys> {
  const configured = env[signingKeyVariable];
  if (configured !== undefined && configured.trim() !== '') return keysFrom(configured);
  let stored = await findSetting(db, signingKeySetting);
  if (stored === undefined) {
    const { privateKey } = generateKeyPairSync('ed25519');
    await insertSettingIfAbsent(
      db,
      signingKeySetting,
      privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    );
    stored = await findSetting(db, signingKeySetting);
    if (stored === undefined) throw new Error('the card signing key could not be stored');
  }
  return keysFrom(stored);
}

/** The public key offline devices verify card payloads with. */
export async function getCardPublicKey(
  db: Executor,
): Promise<{ algorithm: 'Ed25519'; payload_format: string; pem: string; raw_base64: string }> {
  const keys = await loadCardKeys(db);
  return {
    algorithm: 'Ed25519',
    payload_format:
      'AWN1.<base64url(JSON {c: card number, h: household id, d: issue date})>.<base64url(Ed25519 signature of the text before the last dot)>',
    ...publishPublicKey(keys.publicKey),
  };
}

export interface CardHolder {
  id: string;
  status: 'active' | 'suspended' | 'moved' | 'deceased' | 'merged';
  household_size: number;
  area_pcode: string;
  area_path: string;
}

export type ResolvedCard =
  | { ok: true; card_number: string; issued_on: string; household: CardHolder }
  | { ok: false; code: 'card-invalid' | 'card-revoked' };

/**
 * Resolves a scanned QR payload or a typed card number to its household: `card-invalid` for a
 * bad signature, bad check digits or an unknown card (or a payload that disagrees with the
 * card on record), `card-revoked` for a card that was replaced or whose household was merged.
 * Scope is the caller's to check (against `household.area_path`).
 */
export async function resolveCard(db: Executor, cardOrPayload: string): Promise<ResolvedCard> {
  const [resolved] = await resolveCards(db, [cardOrPayload]);
  if (!resolved) throw new Error('resolveCards answered nothing');
  return resolved;
}

/** resolveCard for many cards at once (one lookup): one answer per entry, in order. */
export async function resolveCards(
  db: Executor,
  cardsOrPayloads: readonly string[],
): Promise<ResolvedCard[]> {
  let keys: CardKeys | null = null;
  const parsed: (
    | { ok: true; cardNumber: string; claims: { household_id: string; issued_on: string } | null }
    | { ok: false; code: 'card-invalid' | 'card-revoked' }
  )[] = [];
  for (const cardOrPayload of cardsOrPayloads) {
    if (isCardPayload(cardOrPayload)) {
      keys ??= await loadCardKeys(db);
      const checked = verifyCardPayload(cardOrPayload, keys.publicKey);
      parsed.push(
        checked.ok ? { ok: true, cardNumber: checked.card_number, claims: checked } : checked,
      );
    } else {
      const checked = checkCardNumber(cardOrPayload);
      parsed.push(
        checked.ok
          ? { ok: true, cardNumber: checked.cardNumber, claims: null }
          : { ok: false, code: 'card-invalid' },
      );
    }
  }
  const numbers = [...new Set(parsed.flatMap((entry) => (entry.ok ? [entry.cardNumber] : [])))];
  const cards = new Map(
    (await findCardsWithHolders(db, numbers)).map((card) => [card.card_number, card]),
  );
  return parsed.map((entry): ResolvedCard => {
    if (!entry.ok) return entry;
    const card = cards.get(entry.cardNumber);
    if (!card) return { ok: false, code: 'card-invalid' };
    const claims = entry.claims;
    if (
      claims &&
      (claims.household_id !== card.household_id || claims.issued_on !== card.issued_on)
    ) {
      return { ok: false, code: 'card-invalid' };
    }
    if (card.revoked_at !== null || card.current_card_number !== card.card_number) {
      return { ok: false, code: 'card-revoked' };
    }
    return {
      ok: true,
      card_number: card.card_number,
      issued_on: card.issued_on,
      household: {
        id: card.household_id,
        status: card.household_status,
        household_size: card.household_size,
        area_pcode: card.area_pcode,
        area_path: card.area_path,
      },
    };
  });
}

/** The signed QR payload of each household's current card, by household id. */
export async function cardPayloads(
  db: Executor,
  householdIds: readonly string[],
  pace: Pace = unpaced,
): Promise<Map<string, { card_number: string; issued_on: string; payload: string }>> {
  const keys = await loadCardKeys(db);
  const result = new Map<string, { card_number: string; issued_on: string; payload: string }>();
  for (const card of await findCurrentCards(db, householdIds)) {
    result.set(card.household_id, {
      card_number: card.card_number,
      issued_on: card.issued_on,
      payload: signCardPayload(card, keys),
    });
    await pace();
  }
  return result;
}

/** Revokes the household's cards in the caller's transaction (reissue, merge). */
export async function revokeHouseholdCards(
  trx: Executor,
  householdId: string,
  reason: string,
  clock: Clock,
): Promise<string[]> {
  return revokeCards(trx, householdId, clock().toISOString(), reason);
}

export interface ReissuedCard {
  household_id: string;
  card_number: string;
  issued_on: string;
  payload: string;
  revoked: string[];
}

/**
 * Replaces a lost or damaged card: revokes the household's cards (the old one then answers
 * `card-revoked`) and issues a new number, in one transaction with an audit event.
 */
export async function reissueCard(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  householdId: string,
  reason: string,
  clock: Clock,
): Promise<ReissuedCard> {
  if (reason.trim() === '') {
    throw new ValidationError([{ path: '/reason', message: 'is required' }]);
  }
  return writeTransaction(storage, async (trx) => {
    const household = await getHouseholdView(trx, actor, householdId);
    if (household.status === 'merged') {
      throw new ConflictError('household-merged', 'This household was merged into another.', {
        merged_into: household.merged_into,
      });
    }
    const revoked = await revokeHouseholdCards(trx, householdId, reason.trim(), clock);
    let cardNumber = randomCardNumber();
    while (await cardNumberExists(trx, cardNumber)) cardNumber = randomCardNumber();
    const issuedOn = todayIso(clock);
    const card = {
      card_number: cardNumber,
      household_id: householdId,
      issued_on: issuedOn,
      revoked_at: null,
      revoked_reason: null,
    };
    await issueCard(trx, card, clock().toISOString());
    await appendAuditEvents(
      trx,
      [
        {
          actor,
          action: 'card.reissue',
          entity: 'household',
          entityId: householdId,
          fields: ['card_number', 'revoked_reason'],
        },
      ],
      clock,
    );
    const keys = await loadCardKeys(trx);
    return {
      household_id: householdId,
      card_number: cardNumber,
      issued_on: issuedOn,
      payload: signCardPayload(card, keys),
      revoked,
    };
  });
}

export interface CardSheetRequest extends HouseholdSearch {
  /** The digits numbers are printed in (Arabic-Indic by default). */
  digits?: DigitStyle;
  household_id?: string;
}

/**
 * The printable card sheet (HTML for A4) for one household or for a filtered list in the
 * actor's scope; every household on it is logged as a read of personal data.
 */
export async function buildCardSheet(
  storage: Pick<Storage, 'db' | 'dialect'>,
  actor: Actor,
  request: CardSheetRequest,
  clock: Clock,
): Promise<{ html: string; next_cursor: string | null; count: number }> {
  const db = storage.db;
  let households: HouseholdView[];
  let nextCursor: string | null = null;
  if (request.household_id !== undefined) {
    households = [await getHouseholdView(db, actor, request.household_id)];
  } else {
    const page = await searchHouseholds(db, actor, {
      ...(request.q !== undefined ? { q: request.q } : {}),
      ...(request.area !== undefined ? { area: request.area } : {}),
      ...(request.tag !== undefined ? { tag: request.tag } : {}),
      ...(request.status !== undefined ? { status: request.status } : {}),
      ...(request.cursor !== undefined ? { cursor: request.cursor } : {}),
      limit: Math.min(request.limit ?? 100, maxSheetCards),
    });
    households = page.items;
    nextCursor = page.next_cursor;
  }
  // Hundreds of signatures and QR codes: in slices, so other requests are answered meanwhile.
  const pace = slicePacer();
  const payloads = await cardPayloads(
    db,
    households.map((household) => household.id),
    pace,
  );
  const homes = await homesOfHouseholds(
    db,
    households.map((household) => household.id),
  );
  const cards: SheetCard[] = households.flatMap((household) => {
    const card = payloads.get(household.id);
    return card
      ? [
          {
            head_full_name: household.head_full_name,
            card_number: card.card_number,
            issued_on: card.issued_on,
            area_name_ar: household.area_name_ar ?? household.area_pcode,
            household_size: household.household_size,
            homes: homes.get(household.id) ?? [],
            payload: card.payload,
          },
        ]
      : [];
  });
  await recordPersonalDataReads(
    storage,
    actor,
    'household',
    households.map((household) => household.id),
    [
      'head_given_name',
      'head_father_name',
      'head_grandfather_name',
      'head_family_name',
      'card_number',
    ],
    clock,
  );
  return {
    html: await renderCardSheet(cards, request.digits ?? 'arab', pace),
    next_cursor: nextCursor,
    count: cards.length,
  };
}

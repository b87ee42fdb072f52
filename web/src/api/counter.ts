/** The counter: find the household behind a card, see what remains, hand over. */
import { checkCardNumber } from '../../../src/domain/identity/card-number.js';
import { isCardPayload, parseCardPayload } from '../../../src/domain/identity/card-payload.js';
import { ApiError, api } from './client';
import type { Household } from './types';

export interface CounterEntitlement {
  cycle_id: string;
  commodity: string;
  entitled: number;
  remaining: number;
  starts_on: string;
  ends_on: string;
  per_day_max: number | null;
  per_visit_max: number | null;
  /** Open and today (in the deployment's time zone) within its first and last day. */
  redeemable: boolean;
}

export interface LeftToday {
  commodity: string;
  left_today: number;
}

export interface CounterRedemption {
  id: string;
  household_id: string;
  service_point_id: string;
  items: { commodity: string; quantity: number }[];
  remaining: { cycle_id: string; commodity: string; remaining: number }[];
  left_today?: LeftToday[];
  collected_by?: string;
  created_at: string;
}

export interface CardHolder {
  /** What the API is given at hand-over: the scanned payload, or the typed number. */
  card: string;
  cardNumber: string;
  household: Household;
  entitlements: CounterEntitlement[];
  /** For each commodity with a daily limit: what is left today. */
  leftToday: LeftToday[];
}

/** A refusal found before asking the API to hand over (same codes as the API's). */
function refusal(code: string, status = 409): ApiError {
  return new ApiError(status, code, code, [], {});
}

/**
 * The household holding this card (typed number or scanned payload) and its entitlements in
 * open cycles. The server checks the card first (check digits, signature, revocation, scope),
 * so a forged or revoked card is refused at lookup: rejects with ApiError `card-invalid`,
 * `card-revoked` or `not-found`.
 */
export async function findCardHolder(input: string, signal?: AbortSignal): Promise<CardHolder> {
  const text = input.trim();
  const payload = isCardPayload(text);
  let cardNumber: string | null;
  if (payload) {
    cardNumber = parseCardPayload(text)?.claims.card_number ?? null;
  } else {
    const checked = checkCardNumber(text);
    cardNumber = checked.ok ? checked.cardNumber : null;
  }
  if (!cardNumber) throw refusal('card-invalid', 400);
  const card = payload ? text : cardNumber;
  const checked = await api.post<{ household_id: string; card_number: string }>(
    '/redemptions/card-check',
    { card },
  );
  const [household, entitlements] = await Promise.all([
    api.get<Household>(
      `/households/${encodeURIComponent(checked.household_id)}`,
      undefined,
      signal,
    ),
    api.get<{ items: CounterEntitlement[]; left_today: LeftToday[] }>(
      `/households/${encodeURIComponent(checked.household_id)}/entitlements`,
      undefined,
      signal,
    ),
  ]);
  return {
    card,
    cardNumber: checked.card_number,
    household,
    entitlements: entitlements.items,
    leftToday: entitlements.left_today,
  };
}

/** What the counter offers of one commodity: what remains, and the most one hand-over may take. */
export interface Offer {
  commodity: string;
  remaining: number;
  /** min(remaining, per-visit limit, what is left today). */
  most: number;
  /** What is left today under a daily limit, or null when there is none. */
  leftToday: number | null;
}

/**
 * The commodities the counter offers at a service point (only what it serves: `served` null is
 * everything), each with the most one hand-over may take: never a whole cycle's remainder
 * beyond the day's or the visit's limit. In the order first seen.
 */
export function offersAt(
  holder: Pick<CardHolder, 'entitlements' | 'leftToday'>,
  served: readonly string[] | null,
): Offer[] {
  const offers = new Map<string, Offer>();
  const visit = new Map<string, number | null>();
  for (const entitlement of holder.entitlements) {
    if (served !== null && !served.includes(entitlement.commodity)) continue;
    if (!entitlement.redeemable) continue;
    const offer = offers.get(entitlement.commodity) ?? {
      commodity: entitlement.commodity,
      remaining: 0,
      most: 0,
      leftToday: null,
    };
    offer.remaining += entitlement.remaining;
    offers.set(entitlement.commodity, offer);
    // Limits add up over cycles; one without a limit lifts it (as the server counts them).
    const limit = visit.has(entitlement.commodity) ? visit.get(entitlement.commodity) : 0;
    visit.set(
      entitlement.commodity,
      limit === null || limit === undefined || entitlement.per_visit_max === null
        ? null
        : limit + entitlement.per_visit_max,
    );
  }
  for (const offer of offers.values()) {
    const left = holder.leftToday.find((item) => item.commodity === offer.commodity);
    offer.leftToday = left ? left.left_today : null;
    const perVisit = visit.get(offer.commodity) ?? null;
    offer.most = Math.max(
      0,
      Math.min(offer.remaining, perVisit ?? Infinity, offer.leftToday ?? Infinity),
    );
  }
  return [...offers.values()];
}

export function redeem(input: {
  id: string;
  card: string;
  service_point_id: string;
  items: { commodity: string; quantity: number }[];
  collected_by?: string;
  /** A coordinator's reason to hand over away from the household's home service point. */
  override_reason?: string;
}): Promise<CounterRedemption> {
  return api.post<CounterRedemption>('/redemptions', input);
}

/** Who may collect for a household: what a hand-over's `collected_by` takes. */
export interface Collector {
  collector: string;
  kind: 'head' | 'member' | 'proxy';
  name: string;
  relation: string | null;
}

export async function findCollectors(householdId: string): Promise<Collector[]> {
  return (
    await api.get<{ items: Collector[] }>(
      `/households/${encodeURIComponent(householdId)}/collectors`,
    )
  ).items;
}

/** A service point's day: per commodity, as closed or so far (base units). */
export interface DayClose {
  service_point_id: string;
  date: string;
  closed: boolean;
  closed_at: string | null;
  lines: {
    commodity: string;
    received: number;
    handed_out: number;
    on_hand_books: number | null;
    counted: number | null;
    difference: number | null;
  }[];
}

const servicePointPath = (id: string) => `/service-points/${encodeURIComponent(id)}`;

export function getDay(servicePointId: string, date: string): Promise<DayClose> {
  return api.get<DayClose>(`${servicePointPath(servicePointId)}/day-close`, { date });
}

export function closeDay(
  servicePointId: string,
  input: { date: string; counts: { commodity: string; quantity: number }[] },
): Promise<DayClose> {
  return api.post<DayClose>(`${servicePointPath(servicePointId)}/day-close`, input);
}

/** The printable daily sheet's address (opened in a new tab). */
export function daySheetUrl(servicePointId: string, date: string): string {
  return `/api/v1${servicePointPath(servicePointId)}/day-sheet?date=${encodeURIComponent(date)}`;
}

/** Remaining per commodity over all open cycles, in base units, in the order first seen. */
export function remainingByCommodity(
  entitlements: readonly { commodity: string; remaining: number }[],
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const item of entitlements)
    totals.set(item.commodity, (totals.get(item.commodity) ?? 0) + item.remaining);
  return totals;
}

/** The counter: find the household behind a card, see what remains, hand over. */
import { checkCardNumber } from '../../../src/domain/identity/card-number.js';
import { ApiError, api } from './client';
import type { Household, Page } from './types';

export interface CounterEntitlement {
  cycle_id: string;
  commodity: string;
  entitled: number;
  remaining: number;
  ends_on: string;
}

export interface CounterRedemption {
  id: string;
  household_id: string;
  service_point_id: string;
  items: { commodity: string; quantity: number }[];
  remaining: { cycle_id: string; commodity: string; remaining: number }[];
  created_at: string;
}

export interface CardHolder {
  /** What the API is given at hand-over: the scanned payload, or the typed number. */
  card: string;
  cardNumber: string;
  household: Household;
  entitlements: CounterEntitlement[];
}

/** A refusal found before asking the API to hand over (same codes as the API's). */
function refusal(code: string, status = 409): ApiError {
  return new ApiError(status, code, code, [], {});
}

/** The card number inside a scanned payload `AWN1.<body>.<signature>` (the API verifies the signature). */
export function cardNumberOfPayload(payload: string): string | null {
  const [version, body] = payload.split('.');
  if (version !== 'AWN1' || !body) return null;
  try {
    const json = atob(body.replace(/-/gu, '+').replace(/_/gu, '/'));
    const claims = JSON.parse(json) as { c?: unknown };
    return typeof claims.c === 'string' ? claims.c : null;
  } catch {
    return null;
  }
}

/**
 * The household holding this card (typed number or scanned payload) and its entitlements
 * in open cycles; rejects with ApiError `card-invalid`, `card-unknown` or `card-revoked`.
 */
export async function findCardHolder(input: string, signal?: AbortSignal): Promise<CardHolder> {
  const text = input.trim();
  let cardNumber: string | null;
  if (text.startsWith('AWN1.')) {
    cardNumber = cardNumberOfPayload(text);
  } else {
    const checked = checkCardNumber(text);
    cardNumber = checked.ok ? checked.cardNumber : null;
  }
  if (!cardNumber) throw refusal('card-invalid', 400);
  const found = await api.get<Page<Household>>('/households', { q: cardNumber, limit: 5 }, signal);
  const household = found.items.find((item) => item.card_number === cardNumber);
  if (!household) throw refusal(found.items.length > 0 ? 'card-revoked' : 'card-unknown', 404);
  const entitlements = await api.get<{ items: CounterEntitlement[] }>(
    `/households/${encodeURIComponent(household.id)}/entitlements`,
    undefined,
    signal,
  );
  return {
    card: text.startsWith('AWN1.') ? text : cardNumber,
    cardNumber,
    household,
    entitlements: entitlements.items,
  };
}

export function redeem(input: {
  id: string;
  card: string;
  service_point_id: string;
  items: { commodity: string; quantity: number }[];
}): Promise<CounterRedemption> {
  return api.post<CounterRedemption>('/redemptions', input);
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

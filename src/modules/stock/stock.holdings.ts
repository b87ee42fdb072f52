/**
 * One stock view over every holder: warehouses, partners, teams, org units and volunteers
 * hold lots (an account per lot and state), service points hold plain stock per commodity.
 * Read from the ledger's accounts: one line per holder, lot and state with a non-zero
 * quantity, so a holder's lot may show on several lines (quarantined, available, allocated,
 * in transit, rejected). Warehouses and service points are narrowed to the actor's scope.
 */
import type { Executor } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { ownerKinds, stockAccountId } from '../../domain/entitlement/accounts.js';
import { holderKinds, parseLotAccountId } from '../../domain/stores/accounts.js';
import type { Clock } from '../../shared/clock.js';
import { getAccountsOfOwnerKinds } from '../ledger/ledger.service.js';
import { findLots, lotStatus } from '../lots/lots.service.js';
import { findServicePoint } from '../service-points/service-points.service.js';
import { findWarehouse } from '../warehouses/warehouses.service.js';
import type { HoldingsQueryInput, HoldingsView } from './stock.schema.js';

export async function getHoldings(
  db: Executor,
  actor: Actor,
  input: HoldingsQueryInput,
  clock: Clock,
): Promise<HoldingsView> {
  const kinds = input.holder_kind !== undefined ? [input.holder_kind] : [...holderKinds];
  let accounts = await getAccountsOfOwnerKinds(db, kinds, input.commodity);
  if (input.holder_id !== undefined) {
    accounts = accounts.filter((account) => account.owner_id === input.holder_id);
  }
  const inScope = new Map<string, boolean>();
  const visible = async (kind: string, id: string): Promise<boolean> => {
    if (actor.scope.kind === 'all' || (kind !== 'warehouse' && kind !== 'service_point'))
      return true;
    const key = `${kind}:${id}`;
    let answer = inScope.get(key);
    if (answer === undefined) {
      answer =
        kind === 'warehouse'
          ? (await findWarehouse(db, actor.scope, id)) !== undefined
          : (await findServicePoint(db, actor.scope, id)) !== undefined;
      inScope.set(key, answer);
    }
    return answer;
  };
  const keyed = accounts.map((account) => ({ account, key: parseLotAccountId(account.id) }));
  const lots = new Map(
    (
      await findLots(db, [
        ...new Set(keyed.flatMap(({ key }) => (key !== null ? [key.lotId] : []))),
      ])
    ).map((lot) => [lot.id, lot]),
  );
  const items: HoldingsView['items'] = [];
  for (const { account, key } of keyed) {
    if (!(await visible(account.owner_kind, account.owner_id))) continue;
    const balance = account.credits_posted - account.debits_posted;
    if (account.owner_kind === ownerKinds.servicePoint) {
      if (account.id !== stockAccountId(account.owner_id, account.commodity) || balance === 0)
        continue;
      items.push({
        holder_kind: account.owner_kind,
        holder_id: account.owner_id,
        commodity: account.commodity,
        lot_id: null,
        status: null,
        state: 'available',
        quantity: balance,
      });
      continue;
    }
    if (key === null) continue;
    const lot = lots.get(key.lotId);
    const line = {
      holder_kind: key.holderKind,
      holder_id: key.holderId,
      commodity: account.commodity,
      lot_id: key.lotId,
      status: lot ? lotStatus(lot, clock) : null,
    };
    // Allocated and dispatched (still pending): in transit; the rest is held here.
    const inTransit = key.state === 'allocated' ? account.debits_pending : 0;
    if (balance - inTransit !== 0) {
      items.push({ ...line, state: key.state, quantity: balance - inTransit });
    }
    if (inTransit !== 0) items.push({ ...line, state: 'in_transit', quantity: inTransit });
  }
  return { items };
}

/**
 * The programme editor's draft: the form's state as typed (quantities in display units, as
 * text), and the pure conversions between it and a programme's rules (base units).
 */
import { editableStatuses, type HouseholdStatus } from '../../../../src/shared/vocabulary.js';
import { plainUnits } from '../../api/commodities';
import type { Commodity, Cycle, Programme, Rules } from '../../api/types';
import { parseDecimal } from '../../lib/digits';
import { toBaseAmount, toDisplayAmount } from '../../lib/format';

/** The statuses a programme may admit (`merged` households are never served). */
export const householdStatuses = editableStatuses;

export interface TierDraft {
  size_max: string;
  quantity: string;
}

export interface ItemDraft {
  commodity: string | null;
  mode: 'per_person' | 'tiers';
  per_person: string;
  min: string;
  max: string;
  tiers: TierDraft[];
}

export interface Draft {
  code: string;
  name_ar: string;
  name_en: string;
  statuses: HouseholdStatus[];
  tags_any: string[];
  tags_all: string[];
  tags_none: string[];
  area_pcodes: string[];
  items: ItemDraft[];
}

export const newItem = (): ItemDraft => ({
  commodity: null,
  mode: 'per_person',
  per_person: '',
  min: '',
  max: '',
  tiers: [{ size_max: '', quantity: '' }],
});

export const emptyDraft: Draft = {
  code: '',
  name_ar: '',
  name_en: '',
  statuses: ['active'],
  tags_any: [],
  tags_all: [],
  tags_none: [],
  area_pcodes: [],
  items: [newItem()],
};

/** The draft of a saved programme, quantities in the commodities' display units. */
export function draftOf(
  programme: Programme,
  commodities: Map<string, Commodity> | undefined,
): Draft {
  const eligibility = programme.rules.eligibility ?? {};
  return {
    code: programme.code,
    name_ar: programme.name_ar,
    name_en: programme.name_en,
    statuses: eligibility.statuses ?? ['active'],
    tags_any: eligibility.tags_any ?? [],
    tags_all: eligibility.tags_all ?? [],
    tags_none: eligibility.tags_none ?? [],
    area_pcodes: eligibility.area_pcodes ?? [],
    items: programme.rules.items.map((item) => {
      const units = commodities?.get(item.commodity) ?? plainUnits;
      const shown = (amount: number | undefined) =>
        amount === undefined ? '' : String(toDisplayAmount(amount, units));
      return item.tiers
        ? {
            ...newItem(),
            commodity: item.commodity,
            mode: 'tiers' as const,
            tiers: item.tiers.map((tier) => ({
              size_max: tier.size_max === undefined ? '' : String(tier.size_max),
              quantity: shown(tier.quantity),
            })),
          }
        : {
            ...newItem(),
            commodity: item.commodity,
            per_person: shown(item.per_person),
            min: shown(item.min),
            max: shown(item.max),
          };
    }),
  };
}

/** Cycle statuses in which a programme's rules cannot change (its entitlements came from them). */
export const rulesInUse: readonly Cycle['status'][] = ['opening', 'open', 'closing'];

/** The rules a draft stands for, quantities in base units; null while it is incomplete. */
export function rulesOf(
  draft: Draft,
  commodities: Map<string, Commodity> | undefined,
): Rules | null {
  const items = [];
  for (const item of draft.items) {
    if (!item.commodity) return null;
    const units = commodities?.get(item.commodity) ?? plainUnits;
    const amount = (text: string) => {
      const value = parseDecimal(text);
      return value === null ? null : toBaseAmount(value, units);
    };
    if (item.mode === 'per_person') {
      const perPerson = amount(item.per_person);
      if (perPerson === null || perPerson < 1) return null;
      const min = item.min.trim() === '' ? undefined : amount(item.min);
      const max = item.max.trim() === '' ? undefined : amount(item.max);
      if (min === null || max === null) return null;
      items.push({
        commodity: item.commodity,
        per_person: perPerson,
        ...(min !== undefined ? { min } : {}),
        ...(max !== undefined ? { max } : {}),
      });
    } else {
      const tiers = [];
      for (const [index, tier] of item.tiers.entries()) {
        const quantity = amount(tier.quantity);
        if (quantity === null) return null;
        const last = index === item.tiers.length - 1;
        const sizeMax = parseDecimal(tier.size_max);
        if (!last && (sizeMax === null || !Number.isInteger(sizeMax))) return null;
        tiers.push(
          last && tier.size_max.trim() === '' ? { quantity } : { size_max: sizeMax ?? 0, quantity },
        );
      }
      items.push({ commodity: item.commodity, tiers });
    }
  }
  if (items.length === 0) return null;
  const eligibility: Rules['eligibility'] = {
    ...(draft.statuses.length > 0 ? { statuses: draft.statuses } : {}),
    ...(draft.tags_any.length > 0 ? { tags_any: draft.tags_any } : {}),
    ...(draft.tags_all.length > 0 ? { tags_all: draft.tags_all } : {}),
    ...(draft.tags_none.length > 0 ? { tags_none: draft.tags_none } : {}),
    ...(draft.area_pcodes.length > 0 ? { area_pcodes: draft.area_pcodes } : {}),
  };
  return { ...(Object.keys(eligibility).length > 0 ? { eligibility } : {}), items };
}

// The programme editor's pure draft: what a typed form stands for, and back.
import { describe, expect, it } from 'vitest';
import type { Commodity, Programme } from '../../api/types';
import { draftOf, emptyDraft, newItem, rulesOf, type Draft } from './programme-draft';

const sugar: Commodity = {
  code: 'sugar',
  name_ar: 'سكر',
  name_en: 'Sugar',
  base_unit: 'g',
  display_unit: 'kg',
  display_scale: 1000,
  requires_inspection: false,
  created_at: '2026-12-01T00:00:00.000Z',
};
const commodities = new Map([[sugar.code, sugar]]);

describe('programme draft', () => {
  it('stands for no rules while incomplete', () => {
    expect(rulesOf(emptyDraft, commodities)).toBeNull();
    const noQuantity: Draft = { ...emptyDraft, items: [{ ...newItem(), commodity: 'sugar' }] };
    expect(rulesOf(noQuantity, commodities)).toBeNull();
    const badTier: Draft = {
      ...emptyDraft,
      items: [
        {
          ...newItem(),
          commodity: 'sugar',
          mode: 'tiers',
          tiers: [
            { size_max: 'x', quantity: '1' },
            { size_max: '', quantity: '2' },
          ],
        },
      ],
    };
    expect(rulesOf(badTier, commodities)).toBeNull();
  });

  it('turns display quantities typed in any digits into base units', () => {
    const draft: Draft = {
      ...emptyDraft,
      tags_any: ['orphans'],
      items: [
        { ...newItem(), commodity: 'sugar', per_person: '١٫٥', max: '5' },
        {
          ...newItem(),
          commodity: 'sugar',
          mode: 'tiers',
          tiers: [
            { size_max: '٢', quantity: '1' },
            { size_max: '', quantity: '2.25' },
          ],
        },
      ],
    };
    expect(rulesOf(draft, commodities)).toEqual({
      eligibility: { statuses: ['active'], tags_any: ['orphans'] },
      items: [
        { commodity: 'sugar', per_person: 1500, max: 5000 },
        {
          commodity: 'sugar',
          tiers: [{ size_max: 2, quantity: 1000 }, { quantity: 2250 }],
        },
      ],
    });
  });

  it('reads a saved programme back into the same rules', () => {
    const programme: Programme = {
      id: 'p1',
      code: 'bread',
      name_ar: 'خبز',
      name_en: 'Bread',
      owner_area_pcode: null,
      late_registrations_join: false,
      created_at: '2026-01-01T00:00:00Z',
      rules: {
        eligibility: { statuses: ['active', 'suspended'], area_pcodes: ['SY06'] },
        items: [
          { commodity: 'sugar', per_person: 500, min: 1000 },
          { commodity: 'sugar', tiers: [{ size_max: 3, quantity: 2000 }, { quantity: 4000 }] },
        ],
      },
    };
    const draft = draftOf(programme, commodities);
    expect(draft.items[0]?.per_person).toBe('0.5');
    expect(rulesOf(draft, commodities)).toEqual(programme.rules);
  });
});

/**
 * The demo's registry and its first cycle, made through the same services the API uses: the
 * usual rationed commodities, about 2,000 generated households (a few likely duplicates waiting
 * for review), a monthly programme with an open cycle, stocked service points and some
 * redemptions already made.
 */
import { randomUUID } from 'node:crypto';
import type { Storage } from '../../db/connect.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemActor } from '../../domain/actor.js';
import type { Clock } from '../../shared/clock.js';
import { configuredTimeZone, localDay } from '../../shared/time-zone.js';
import type { CreateCommodityInput } from '../commodities/commodities.schema.js';
import { createCommodity } from '../commodities/commodities.service.js';
import { createCycle, openCycle } from '../cycles/cycles.service.js';
import { createHouseholds } from '../households/households.registration.js';
import type { CreateProgrammeInput } from '../programmes/programmes.schema.js';
import { createProgramme } from '../programmes/programmes.service.js';
import { redeem } from '../redemptions/redemptions.service.js';
import { receiveStock } from '../stock/stock.service.js';
import { generateHouseholds, seededRandom, type GeneratedHousehold } from './demo.households.js';
import type { DemoSeed } from './demo.seed.js';

export const demoHouseholdCount = 2000;

const commodities: CreateCommodityInput[] = [
  {
    code: 'bread',
    name_ar: 'خبز',
    name_en: 'Bread',
    base_unit: 'bundle',
    display_unit: 'bundle',
    display_scale: 1,
  },
  {
    code: 'sugar',
    name_ar: 'سكر',
    name_en: 'Sugar',
    base_unit: 'g',
    display_unit: 'kg',
    display_scale: 1000,
  },
  {
    code: 'rice',
    name_ar: 'رز',
    name_en: 'Rice',
    base_unit: 'g',
    display_unit: 'kg',
    display_scale: 1000,
  },
  {
    code: 'oil',
    name_ar: 'زيت نباتي',
    name_en: 'Vegetable oil',
    base_unit: 'ml',
    display_unit: 'l',
    display_scale: 1000,
  },
  {
    code: 'tea',
    name_ar: 'شاي',
    name_en: 'Tea',
    base_unit: 'g',
    display_unit: 'g',
    display_scale: 1,
  },
  {
    code: 'gas',
    name_ar: 'غاز منزلي',
    name_en: 'Cooking gas',
    base_unit: 'cylinder',
    display_unit: 'cylinder',
    display_scale: 1,
  },
];

/** A month's ration: quantities in base units (bundles, grams, millilitres, cylinders). */
const monthlyRules: CreateProgrammeInput['rules'] = {
  eligibility: { statuses: ['active'] },
  items: [
    {
      commodity: 'bread',
      tiers: [{ size_max: 2, quantity: 30 }, { size_max: 5, quantity: 45 }, { quantity: 60 }],
    },
    { commodity: 'sugar', per_person: 1000, min: 1000, max: 6000 },
    { commodity: 'rice', per_person: 1000, min: 1000, max: 6000 },
    { commodity: 'oil', per_person: 250, min: 1000, max: 3000 },
    { commodity: 'tea', tiers: [{ size_max: 3, quantity: 200 }, { quantity: 400 }] },
    { commodity: 'gas', tiers: [{ quantity: 1 }] },
  ],
};

/** Spelling variants a registrar might type for the same person: the demo's likely duplicates. */
function respelled(household: GeneratedHousehold): GeneratedHousehold {
  const variant = (name: string) =>
    name
      .replace(/^أ/, 'ا')
      .replace(/^إ/, 'ا')
      .replace(/ة$/, 'ه')
      .replace(/^عبد(?=\S)/, 'عبد ');
  return {
    ...household,
    head_given_name: variant(household.head_given_name),
    head_family_name: variant(household.head_family_name),
    national_id: `09${household.national_id.slice(2)}`,
    phone: household.phone,
  };
}

/** Seeds the registry and the first cycle; returns how many households it registered. */
export async function seedDemoRegistry(
  storage: Storage,
  seed: DemoSeed,
  clock: Clock,
  householdCount = demoHouseholdCount,
): Promise<number> {
  const actor = systemActor;
  for (const commodity of commodities) await createCommodity(storage, actor, commodity, clock);

  const areas = await storage.db
    .selectFrom('areas')
    .select('pcode')
    .where((eb) => eb.or([eb('level', '=', 'subdistrict'), eb('level', '=', 'community')]))
    .where('path', 'like', '/SY06/%')
    .orderBy('pcode')
    .execute();
  const households = generateHouseholds(
    householdCount,
    areas.map((area) => area.pcode),
  );
  households.push(...households.slice(0, 6).map(respelled));
  for (let start = 0; start < households.length; start += 500) {
    const batch = households.slice(start, start + 500);
    await writeTransaction(storage, async (trx) => {
      const results = await createHouseholds(
        trx,
        actor,
        batch.map((household) => ({ ...household })),
        { clock },
      );
      const failed = results.find((result) => !result.ok);
      if (failed && !failed.ok)
        throw new Error(`demo household refused: ${failed.issues[0]?.code}`);
    });
  }

  const programme = await createProgramme(
    storage,
    actor,
    {
      code: 'monthly-ration',
      name_ar: 'السلة الشهرية',
      name_en: 'Monthly ration',
      rules: monthlyRules,
    },
    clock,
  );
  // This month as the deployment counts days (AWN_TIME_ZONE), as the counter and runs do: in
  // UTC the demo's cycle would end a few hours early on a month's last night.
  const month = localDay(clock(), configuredTimeZone()).slice(0, 7);
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
  const cycle = await createCycle(
    storage,
    actor,
    {
      programme_id: programme.id,
      starts_on: `${month}-01`,
      ends_on: lastDay,
      area_pcodes: ['SY06'],
    },
    clock,
  );
  await openCycle(storage, actor, cycle.id, clock);

  const stockPerPoint: Record<string, number> = {
    bread: 40_000,
    sugar: 4_000_000,
    rice: 4_000_000,
    oil: 2_000_000,
    tea: 200_000,
    gas: 800,
  };
  for (const pointId of seed.servicePointIds) {
    for (const [commodity, quantity] of Object.entries(stockPerPoint)) {
      await receiveStock(storage, actor, pointId, { id: randomUUID(), commodity, quantity }, clock);
    }
  }

  // Some households have already been served: bread at a bakery, the rest at the outlet.
  const cards = await storage.db
    .selectFrom('households')
    .select('card_number')
    .orderBy('id')
    .limit(120)
    .execute();
  const random = seededRandom(29);
  const [outlet, ...bakeries] = seed.servicePointIds;
  for (const [index, { card_number }] of cards.entries()) {
    if (!card_number || !outlet) continue;
    const atBakery = index % 2 === 0 && bakeries.length > 0;
    const items = atBakery
      ? [{ commodity: 'bread', quantity: 1 + Math.floor(random() * 5) }]
      : [
          { commodity: 'sugar', quantity: 1000 },
          { commodity: 'rice', quantity: 1000 },
        ];
    const pointId = atBakery ? bakeries[index % bakeries.length] : outlet;
    if (!pointId) continue;
    await redeem(
      storage,
      actor,
      { id: randomUUID(), card: card_number, service_point_id: pointId, items },
      clock,
    );
  }
  return households.length;
}

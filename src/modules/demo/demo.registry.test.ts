import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { verifyAuditLog } from '../audit/audit.service.js';
import { verifyLedger } from '../ledger/ledger.service.js';
import { generateHouseholds } from './demo.households.js';
import { seedDemoRegistry } from './demo.registry.js';
import { seedDemo } from './demo.seed.js';
import { seedDemoUsers } from './demo.users.js';

const clock = () => new Date('2026-03-10T08:00:00.000Z');

it('generates the same households from the same seed, with unique ids and phones', () => {
  const first = generateHouseholds(500, ['SY060000', 'SY060200']);
  expect(generateHouseholds(500, ['SY060000', 'SY060200'])).toEqual(first);
  expect(new Set(first.map((household) => household.national_id)).size).toBe(500);
  expect(new Set(first.map((household) => household.phone)).size).toBe(500);
  expect(first.every((household) => household.household_size >= 1)).toBe(true);
});

describeEachDialect('demo registry', (storage) => {
  it('registers households, opens a stocked cycle, redeems some, and the books balance', async () => {
    const seed = await seedDemo(storage(), clock);
    if (!seed) throw new Error('the demo was not seeded');
    const registered = await seedDemoRegistry(storage(), seed, clock, 150);
    await seedDemoUsers(storage(), seed.branchId, clock);
    const db = storage().db;
    expect(registered).toBe(156);
    expect((await db.selectFrom('households').select('id').execute()).length).toBe(156);
    const duplicates = await db.selectFrom('duplicate_candidates').select('id').execute();
    expect(duplicates.length).toBeGreaterThanOrEqual(1);
    const cycle = await db.selectFrom('cycles').selectAll().executeTakeFirstOrThrow();
    expect(cycle.status).toBe('open');
    expect((await db.selectFrom('redemptions').select('id').execute()).length).toBeGreaterThan(50);
    expect((await db.selectFrom('users').select('id').execute()).length).toBe(9);
    expect((await verifyLedger(db)).discrepancies).toEqual([]);
    expect((await verifyAuditLog(db)).ok).toBe(true);
  });
});

import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { verifyAuditLog } from '../audit/audit.service.js';
import { listOrgUnits } from '../org-units/org-units.service.js';
import { seedDemo } from './demo.seed.js';

const clock = () => new Date('2026-03-01T08:00:00.000Z');

describeEachDialect('demo seed', (storage) => {
  it('seeds Lattakia: areas, communities, the org tree, partners and service points', async () => {
    const seed = await seedDemo(storage(), clock);
    if (!seed) throw new Error('the demo was not seeded');
    const db = storage().db;
    const count = async (table: 'areas' | 'partners' | 'service_points' | 'users') =>
      (await db.selectFrom(table).selectAll().execute()).length;
    expect(await count('areas')).toBe(348 + seed.communityPcodes.length);
    expect(await count('partners')).toBe(5);
    expect(await count('service_points')).toBe(4);
    expect(await count('users')).toBe(0);

    const units = await listOrgUnits(db);
    const branch = units.find((unit) => unit.id === seed.branchId);
    expect(branch).toMatchObject({
      kind: 'branch',
      name_ar: 'فرع اللاذقية',
      area_pcodes: ['SY06'],
    });
    expect(Object.keys(seed.sectionIds).sort()).toEqual(['SY0600', 'SY0602', 'SY0603', 'SY0604']);
    for (const [district, sectionId] of Object.entries(seed.sectionIds)) {
      const section = units.find((unit) => unit.id === sectionId);
      expect(section).toMatchObject({ parent_id: seed.branchId, area_pcodes: [district] });
      const children = units.filter((unit) => unit.parent_id === sectionId);
      expect(children.length).toBeGreaterThanOrEqual(2);
      // Together the units cover every subdistrict of their district.
      const covered = children.flatMap((unit) => unit.area_pcodes).sort();
      const subdistricts = await db
        .selectFrom('areas')
        .select('pcode')
        .where('parent_pcode', '=', district)
        .orderBy('pcode')
        .execute();
      expect(covered).toEqual(subdistricts.map((row) => row.pcode));
    }
    expect(units).toHaveLength(1 + 4 + seed.unitIds.length);

    const communities = await db
      .selectFrom('areas')
      .select(['pcode', 'path', 'kind'])
      .where('level', '=', 'community')
      .execute();
    expect(communities.map((row) => row.pcode).sort()).toEqual([...seed.communityPcodes].sort());
    for (const row of communities) expect(row.path.startsWith('/SY06/')).toBe(true);
    expect(seed.servicePointIds).toHaveLength(4);
    expect((await verifyAuditLog(db)).ok).toBe(true);
  });

  it('does nothing the second time', async () => {
    const events = (await storage().db.selectFrom('audit_events').select('seq').execute()).length;
    expect(await seedDemo(storage(), clock)).toBeNull();
    expect(await storage().db.selectFrom('org_units').select('id').execute()).toHaveLength(13);
    expect(await storage().db.selectFrom('audit_events').select('seq').execute()).toHaveLength(
      events,
    );
  });
});

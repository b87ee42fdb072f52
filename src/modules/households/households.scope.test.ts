/**
 * What the registry tells a user about households outside their scope (issue 17 items 9, 13):
 * that an identifier is taken, never which household holds it; and an outlet clerk finds a
 * household by its card only.
 */
import { beforeAll, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { importHouseholdFile } from '../household-files/household-files.service.js';
import {
  buildHouseholdInput,
  scopedActor,
  seedTestAreas,
  testActor,
  testAreas,
  uniqueNationalId,
} from './households.factories.js';
import { createHousehold } from './households.create.js';
import { listHouseholds } from './households.search.js';
import { updateHousehold } from './households.update.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');
const registrar = testActor('registrar');

describeEachDialect('households outside the scope', (storage) => {
  beforeAll(async () => {
    await seedTestAreas(storage().db);
  });

  const lookups = (householdId: string) =>
    storage()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'household.lookup_outside_scope')
      .where('entity_id', '=', householdId)
      .execute();

  it('a national id registered outside the scope is a 409 naming no household, audited', async () => {
    const nationalId = uniqueNationalId();
    const phone = '0933 777 801';
    const outside = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ national_id: nationalId, phone, area_pcode: testAreas.community }),
      clock,
    );
    const local = scopedActor('registrar', '/SY06/SY0600/SY060100/');
    const refused: unknown = await createHousehold(
      storage(),
      local,
      buildHouseholdInput({ national_id: nationalId, area_pcode: testAreas.otherCommunity }),
      clock,
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({
      code: 'duplicate-national-id',
      extra: { outside_scope: true },
    });
    expect(JSON.stringify(refused)).not.toContain(outside.id);
    expect(await lookups(outside.id)).toEqual([
      expect.objectContaining({ actor_id: local.userId, entity: 'household' }),
    ]);

    // Within the scope the household is named, as before.
    await expect(
      createHousehold(
        storage(),
        registrar,
        buildHouseholdInput({ national_id: nationalId }),
        clock,
      ),
    ).rejects.toMatchObject({ extra: { household_id: outside.id } });

    // A shared phone (and the same name and size: a likely duplicate) outside the scope is
    // mentioned without an id.
    const created = await createHousehold(
      storage(),
      local,
      buildHouseholdInput({ phone, area_pcode: testAreas.otherCommunity }),
      clock,
    );
    expect(created.warnings).toEqual([
      expect.objectContaining({ code: 'phone-shared', outside_scope: true }),
    ]);
    expect(JSON.stringify(created)).not.toContain(outside.id);

    // Editing to that national id: the same answer, and a second audited lookup.
    const edit: unknown = await updateHousehold(
      storage(),
      local,
      created.id,
      { national_id: nationalId },
      clock,
    ).catch((error: unknown) => error);
    expect(edit).toMatchObject({ code: 'duplicate-national-id', extra: { outside_scope: true } });
    expect(JSON.stringify(edit)).not.toContain(outside.id);
    expect(await lookups(outside.id)).toHaveLength(2);
  });

  it('a dry-run import reports rows held outside the scope without ids, auditing each row', async () => {
    const held = await Promise.all(
      [0, 1].map(() =>
        createHousehold(
          storage(),
          registrar,
          buildHouseholdInput({ national_id: uniqueNationalId(), area_pcode: testAreas.community }),
          clock,
        ),
      ),
    );
    const local = scopedActor('registrar', '/SY06/SY0600/SY060100/');
    const rows = held.map(
      (household, index) =>
        `سامر${index},خالد,الحلبي,${household.national_id},3,${testAreas.otherCommunity}`,
    );
    const report = await importHouseholdFile(
      storage(),
      local,
      {
        format: 'csv',
        content: Buffer.from(
          [
            'head_given_name,head_father_name,head_family_name,national_id,household_size,area_pcode',
            ...rows,
          ].join('\n'),
        ),
      },
      { clock, dryRun: true },
    );
    expect(report.duplicates).toEqual([
      { row: 2, outside_scope: true, reason: 'national_id' },
      { row: 3, outside_scope: true, reason: 'national_id' },
    ]);
    expect(JSON.stringify(report)).not.toContain(held[0]?.id);
    for (const household of held) expect(await lookups(household.id)).toHaveLength(1);
  });

  it('an outlet clerk finds a household by card number only', async () => {
    const phone = '0933 777 802';
    const household = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ head_given_name: 'نزار', phone }),
      clock,
    );
    const clerk = testActor('outlet_clerk');
    const found = await listHouseholds(storage(), clerk, { q: household.card_number }, clock);
    expect(found.items.map((item) => item.id)).toEqual([household.id]);
    for (const q of ['نزار', phone, household.national_id ?? '', undefined]) {
      const refused: unknown = await listHouseholds(
        storage(),
        clerk,
        q === undefined ? {} : { q },
        clock,
      ).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ValidationError);
      expect(refused).toMatchObject({ issues: [{ path: '/q', code: 'card-number-only' }] });
    }
    // Others still search by name, phone and national id.
    const byPhone = await listHouseholds(storage(), registrar, { q: phone }, clock);
    expect(byPhone.items.map((item) => item.id)).toContain(household.id);
  });
});

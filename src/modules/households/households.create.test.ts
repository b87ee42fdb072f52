/** Registering one household: likely duplicates are shown before saving (issue 16 §3). */
import { beforeAll, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { buildHouseholdInput, seedTestAreas, testActor } from './households.factories.js';
import { createHousehold } from './households.create.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');
const registrar = testActor('registrar');

describeEachDialect('registering one household', (storage) => {
  beforeAll(async () => {
    await seedTestAreas(storage().db);
  });

  const unconfirmed = (overrides: Record<string, unknown>) =>
    buildHouseholdInput({
      confirm_not_duplicate: undefined,
      duplicate_reason: undefined,
      ...overrides,
    });
  const names = { head_given_name: 'وسيم', head_father_name: 'ماجد', head_family_name: 'الصباغ' };

  it('answers 409 likely-duplicate with the similar household, saving nothing', async () => {
    const first = await createHousehold(storage(), registrar, unconfirmed(names), clock);
    expect(first.duplicate_candidates).toEqual([]);
    const count = async () =>
      (
        await storage()
          .db.selectFrom('households')
          .select('id')
          .where('head_given_name', '=', 'وسيم')
          .execute()
      ).length;

    const refused: unknown = await createHousehold(
      storage(),
      registrar,
      unconfirmed({ ...names, head_father_name: 'مجد' }),
      clock,
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({
      code: 'likely-duplicate',
      extra: {
        candidates: [
          {
            reason: 'name+size',
            household: { id: first.id, card_number: first.card_number, head_given_name: 'وسيم' },
          },
        ],
      },
    });
    expect(await count()).toBe(1);
    const shown = await storage()
      .db.selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', first.id)
      .where('action', '=', 'read')
      .execute();
    expect(shown).toHaveLength(1);
  });

  it('saves anyway only with a reason, which is kept on the candidate and audited', async () => {
    const input = unconfirmed({ ...names, head_father_name: 'ماجد', confirm_not_duplicate: true });
    await expect(createHousehold(storage(), registrar, input, clock)).rejects.toBeInstanceOf(
      ValidationError,
    );
    const saved = await createHousehold(
      storage(),
      registrar,
      { ...input, duplicate_reason: 'أخوان بالاسم نفسه' },
      clock,
    );
    expect(saved.duplicate_candidates.length).toBeGreaterThan(0);
    const candidate = await storage()
      .db.selectFrom('duplicate_candidates')
      .selectAll()
      .where('household_id', '=', saved.id)
      .executeTakeFirstOrThrow();
    expect(candidate).toMatchObject({ status: 'open', saved_anyway_reason: 'أخوان بالاسم نفسه' });
    const created = await storage()
      .db.selectFrom('audit_events')
      .select('fields_json')
      .where('entity_id', '=', saved.id)
      .where('action', '=', 'household.create')
      .executeTakeFirstOrThrow();
    expect(created.fields_json).toContain('confirm_not_duplicate');
  });

  it('computes the size from the head and members when it is not given', async () => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropped on purpose
    const { household_size: _size, ...input } = buildHouseholdInput({ head_given_name: 'منفرد' });
    expect((await createHousehold(storage(), registrar, input, clock)).household_size).toBe(1);
  });
});

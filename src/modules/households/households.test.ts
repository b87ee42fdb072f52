import { beforeAll, expect, it } from 'vitest';
import { writeTransaction } from '../../db/transaction.js';
import { makeCardNumber } from '../../domain/identity/card-number.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import {
  buildHouseholdInput,
  scopedActor,
  seedTestAreas,
  testActor,
  testAreas,
  uniqueNationalId,
} from './households.factories.js';
import { createHousehold } from './households.create.js';
import { createHouseholds } from './households.registration.js';
import { getHousehold, listHouseholds } from './households.search.js';
import { updateHousehold } from './households.update.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');
const registrar = testActor('registrar');

describeEachDialect('households service', (storage) => {
  beforeAll(async () => {
    await seedTestAreas(storage().db);
  });

  it('registers a household with a checked card number and audits it', async () => {
    const created = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({
        head_given_name: 'سليم',
        phone: '0944 111 222',
        consent_date: '2026-11-01',
      }),
      clock,
    );
    expect(created.card_number).toMatch(/^\d{12}$/u);
    expect(created).toMatchObject({
      head_given_name: 'سليم',
      phone: '+963944111222',
      status: 'active',
      tags: ['elderly'],
      consent_recorded_by: registrar.userId,
      warnings: [],
      duplicate_candidates: [],
    });
    const card = await storage()
      .db.selectFrom('cards')
      .selectAll()
      .where('household_id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(card).toMatchObject({ card_number: created.card_number, issued_on: '2026-11-29' });
    const event = await storage()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(event.action).toBe('household.create');
    expect(event.fields_json).not.toContain('سليم');
  });

  it('refuses an invalid input naming each field', async () => {
    const error = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ phone: '12', national_id: '123', area_pcode: 'SY0699' }),
      clock,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      '/national_id',
      '/phone',
      '/area_pcode',
    ]);
  });

  it('blocks a national id or card number already registered, naming the household', async () => {
    const nationalId = uniqueNationalId();
    const first = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ head_given_name: 'كمال', national_id: nationalId }),
      clock,
    );
    const byNationalId = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ head_given_name: 'جمال', national_id: nationalId }),
      clock,
    ).catch((caught: unknown) => caught);
    expect(byNationalId).toBeInstanceOf(ConflictError);
    expect(byNationalId).toMatchObject({
      code: 'duplicate-national-id',
      extra: { household_id: first.id },
    });

    const byCard = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ head_given_name: 'جمال', card_number: first.card_number }),
      clock,
    ).catch((caught: unknown) => caught);
    expect(byCard).toMatchObject({
      code: 'duplicate-card-number',
      extra: { household_id: first.id },
    });
  });

  it('registers a national id once when many registrations race for it', async () => {
    const nationalId = uniqueNationalId();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) =>
        createHousehold(
          storage(),
          registrar,
          buildHouseholdInput({
            head_given_name: `سباق${'ا'.repeat(index)}`,
            national_id: nationalId,
          }),
          clock,
        ),
      ),
    );
    const created = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    expect(created).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toMatchObject({
          code: 'duplicate-national-id',
          extra: { household_id: created[0]?.value.id },
        });
      }
    }
  });

  it('warns when a phone is already registered', async () => {
    const first = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ head_given_name: 'نزار', phone: '0955 000 111' }),
      clock,
    );
    const second = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({
        head_given_name: 'وسيم',
        head_family_name: 'حداد',
        phone: '+963955000111',
      }),
      clock,
    );
    expect(second.warnings).toEqual([
      expect.objectContaining({ code: 'phone-shared', household_id: first.id }),
    ]);
  });

  it('flags a likely duplicate in the same subdistrict, not in another', async () => {
    const first = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({
        head_given_name: 'يوسف',
        head_father_name: 'إبراهيم',
        head_grandfather_name: 'حسن',
        head_family_name: 'الأسعد',
        household_size: 6,
      }),
      clock,
    );
    // Another spelling, in the neighbouring community of the same subdistrict.
    const likely = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({
        head_given_name: 'يوسف',
        head_father_name: 'ابراهيم',
        head_grandfather_name: 'حسن',
        head_family_name: 'اسعد',
        household_size: 6,
        area_pcode: testAreas.neighbour,
      }),
      clock,
    );
    expect(likely.duplicate_candidates).toEqual([
      expect.objectContaining({ other_household_id: first.id, reason: 'name+size' }),
    ]);
    const row = await storage()
      .db.selectFrom('duplicate_candidates')
      .selectAll()
      .where('household_id', '=', likely.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ other_household_id: first.id, status: 'open' });
    expect(row.score).toBeGreaterThan(0.9);

    const elsewhere = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({
        head_given_name: 'يوسف',
        head_father_name: 'إبراهيم',
        head_grandfather_name: 'حسن',
        head_family_name: 'الأسعد',
        household_size: 6,
        area_pcode: testAreas.otherCommunity,
      }),
      clock,
    );
    expect(elsewhere.duplicate_candidates).toEqual([]);

    const otherSize = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({
        head_given_name: 'يوسف',
        head_father_name: 'إبراهيم',
        head_grandfather_name: 'حسن',
        head_family_name: 'الأسعد',
        household_size: 2,
      }),
      clock,
    );
    expect(otherSize.duplicate_candidates).toEqual([]);
  });

  it('creates in bulk with one result per input, refusing repeats within the batch', async () => {
    const nationalId = uniqueNationalId();
    const results = await writeTransaction(storage(), (trx) =>
      createHouseholds(
        trx,
        registrar,
        [
          buildHouseholdInput({ head_given_name: 'رامي', national_id: nationalId }),
          buildHouseholdInput({ head_given_name: 'رامز', national_id: nationalId }),
          buildHouseholdInput({ head_given_name: '' }),
          buildHouseholdInput({ head_given_name: 'ريم', card_number: makeCardNumber(42) }),
        ],
        { clock },
      ),
    );
    expect(results.map((result) => result.ok)).toEqual([true, false, false, true]);
    expect(results[1]).toMatchObject({
      issues: [{ field: 'national_id', code: 'duplicate-national-id', other_index: 0 }],
    });
    expect(results[3]).toMatchObject({ card_number: makeCardNumber(42) });
  });

  it('checks without writing in a dry run', async () => {
    const before = await storage()
      .db.selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    const [result] = await writeTransaction(storage(), (trx) =>
      createHouseholds(trx, registrar, [buildHouseholdInput()], { clock, dryRun: true }),
    );
    expect(result?.ok).toBe(true);
    const after = await storage()
      .db.selectFrom('households')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(after.count)).toBe(Number(before.count));
  });

  it('finds households by any spelling of a name, card, phone or national id', async () => {
    const nationalId = uniqueNationalId();
    const target = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({
        head_given_name: 'عبد الله',
        head_father_name: 'أحمد',
        head_grandfather_name: 'مصطفى',
        head_family_name: 'الزعبي',
        head_name_latin: 'Abdullah Al-Zoubi',
        national_id: nationalId,
        phone: '0966 555 444',
      }),
      clock,
    );
    const search = async (q: string) =>
      (await listHouseholds(storage(), registrar, { q }, clock)).items.map((item) => item.id);

    for (const q of [
      'عبدالله احمد الزعبي',
      'عبد الله أحمد',
      'عَبْدُ اللهِ الزعبي',
      'الزعبي',
      'الزع',
      'abdullah zou',
      target.card_number,
      target.card_number.replace(/\d/gu, (digit) => String.fromCharCode(0x0660 + Number(digit))),
      '0966555444',
      '+963 966 555 444',
      '٠٩٦٦ ٥٥٥ ٤٤٤',
      nationalId,
    ]) {
      expect(await search(q), q).toContain(target.id);
    }
    expect(await search('عبدالله احمد الخطيب')).not.toContain(target.id);
    // A mistyped card number is caught by its check digits and finds nothing.
    const typo = `${target.card_number.slice(0, 11)}${(Number(target.card_number[11]) + 1) % 10}`;
    expect(await search(typo)).toEqual([]);
  });

  it('marks the status and edits fields, validating only as a whole household', async () => {
    const created = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ head_given_name: 'هاني' }),
      clock,
    );
    const missingReason = await updateHousehold(
      storage(),
      registrar,
      created.id,
      { status: 'moved' },
      clock,
    ).catch((caught: unknown) => caught);
    expect(missingReason).toBeInstanceOf(ValidationError);

    const updated = await updateHousehold(
      storage(),
      registrar,
      created.id,
      {
        status: 'moved',
        status_reason: 'انتقل إلى حمص',
        head_given_name: 'هادي',
        phone: '٠٩٣٣ ٩٩٩ ٨٨٨',
        tags: ['displaced'],
      },
      clock,
    );
    expect(updated).toMatchObject({
      status: 'moved',
      status_reason: 'انتقل إلى حمص',
      status_changed_on: '2026-11-29',
      head_given_name: 'هادي',
      phone: '+963933999888',
      tags: ['displaced'],
    });
    const found = await listHouseholds(storage(), registrar, { q: 'هادي', status: 'moved' }, clock);
    expect(found.items.map((item) => item.id)).toEqual([created.id]);
    expect(
      (await listHouseholds(storage(), registrar, { q: 'هاني' }, clock)).items.map(
        (item) => item.id,
      ),
    ).not.toContain(created.id);
  });

  it('pages with a stable cursor and filters by area, tag and status', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const created = await createHousehold(
        storage(),
        registrar,
        buildHouseholdInput({
          head_given_name: 'صفحة',
          head_family_name: `عائلة${'ب'.repeat(index + 1)}`,
          area_pcode: testAreas.otherCommunity,
          tags: ['wounded'],
        }),
        clock,
      );
      ids.push(created.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listHouseholds(
        storage(),
        registrar,
        {
          area: testAreas.otherSubdistrict,
          tag: 'wounded',
          limit: 2,
          ...(cursor ? { cursor } : {}),
        },
        clock,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(ids);

    const byName: string[] = [];
    cursor = undefined;
    do {
      const page = await listHouseholds(
        storage(),
        registrar,
        { q: 'صفحة', limit: 2, ...(cursor ? { cursor } : {}) },
        clock,
      );
      byName.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(byName).toEqual(ids);
  });

  it('sees only households in scope; others are not found', async () => {
    const inside = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ head_given_name: 'داخل', area_pcode: testAreas.otherCommunity }),
      clock,
    );
    const outside = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ head_given_name: 'خارج', area_pcode: testAreas.community }),
      clock,
    );
    const local = scopedActor('registrar', '/SY06/SY0600/SY060100/');
    const listed = await listHouseholds(storage(), local, { limit: 200 }, clock);
    expect(listed.items.map((item) => item.id)).toContain(inside.id);
    expect(listed.items.map((item) => item.id)).not.toContain(outside.id);
    expect((await listHouseholds(storage(), local, { q: 'خارج' }, clock)).items).toEqual([]);
    await expect(getHousehold(storage(), local, outside.id, clock)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      updateHousehold(storage(), local, outside.id, { address: 'x' }, clock),
    ).rejects.toBeInstanceOf(NotFoundError);
    // Registering into an area outside the scope is refused as an unknown area.
    await expect(
      createHousehold(
        storage(),
        local,
        buildHouseholdInput({ area_pcode: testAreas.community }),
        clock,
      ),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: '/area_pcode' })] });
  });

  it('logs reads of personal data and shows an outlet clerk only who the household is', async () => {
    const created = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ head_given_name: 'منير', phone: '0933 444 555' }),
      clock,
    );
    const clerk = testActor('outlet_clerk');
    const seen = await getHousehold(storage(), clerk, created.id, clock);
    expect(seen.head_given_name).toBe('منير');
    expect(seen).not.toHaveProperty('phone');
    expect(seen).not.toHaveProperty('national_id');
    const reads = await storage()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('entity_id', '=', created.id)
      .where('action', '=', 'read')
      .execute();
    expect(reads).toHaveLength(1);
    expect(reads[0]?.actor_id).toBe(clerk.userId);
  });
});

import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/database.js';

describeEachDialect('connect', (storage, dialect) => {
  it('migrates and round-trips a bigint amount as a number', async () => {
    const { db } = storage();
    const now = new Date().toISOString();
    await db
      .insertInto('commodities')
      .values({
        code: 'sugar',
        name_ar: 'سكر',
        name_en: 'Sugar',
        base_unit: 'g',
        display_unit: 'kg',
        display_scale: 1000,
        created_at: now,
      })
      .execute();
    await db
      .insertInto('accounts')
      .values({
        id: 'a1',
        commodity: 'sugar',
        owner_kind: 'test',
        owner_id: 'x',
        flags: 0,
        credits_posted: 2 ** 40,
        created_at: now,
      })
      .execute();
    const row = await db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', 'a1')
      .executeTakeFirstOrThrow();
    expect(row.credits_posted).toBe(2 ** 40);
    expect(typeof row.debits_posted).toBe('number');
  });

  it('enforces the overdraw CHECK constraint', async () => {
    const { db } = storage();
    const now = new Date().toISOString();
    await expect(
      db
        .insertInto('accounts')
        .values({
          id: 'a2',
          commodity: 'sugar',
          owner_kind: 'test',
          owner_id: 'y',
          flags: 1,
          debits_posted: 1,
          created_at: now,
        })
        .execute(),
    ).rejects.toThrow();
  });

  it.runIf(dialect === 'sqlite')('runs SQLite with WAL and synchronous=FULL', async () => {
    const { db } = storage();
    const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    expect(rows[0]?.synchronous).toBe(2);
  });
});

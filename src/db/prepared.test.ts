import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/database.js';
import {
  preparedByKey,
  preparedInsert,
  preparedQuery,
  preparedUpdate,
  type Slots,
} from './prepared.js';
import { heldSqlite, writeTransaction, type Executor } from './transaction.js';

const settingByKey = preparedQuery((db, p: Slots<{ key: string }>) =>
  db.selectFrom('settings').select(['key', 'value']).where('key', '=', p.key),
);

/** A slot used twice binds the same value at both places. */
const settingEither = preparedQuery((db, p: Slots<{ key: string }>) =>
  db
    .selectFrom('settings')
    .select('value')
    .where((eb) => eb.or([eb('key', '=', p.key), eb('value', '=', p.key)])),
);

const settingValues = preparedByKey<string, { key: string; value: string }>(
  (db, key) => db.selectFrom('settings').select(['key', 'value']).where(key('key')).orderBy('key'),
  { oneRowPerKey: true },
);

/** A keyed read with a named parameter besides the keys. */
const settingValuesAbove = preparedByKey<string, { key: string }, { above: string }>((db, key, p) =>
  db.selectFrom('settings').select('key').where(key('key')).where('value', '>', p.above),
);

const insertSettings = preparedInsert<'settings', { key: string; value: string }>('settings', {
  key: 'text',
  value: 'text',
});

const renameSettings = preparedUpdate<'settings', { key: string; value: string }>(
  'settings',
  { key: 'text', value: 'text' },
  (query, row) => query.set({ value: row.value }).where('settings.key', '=', row.key),
);

describe('prepared queries', () => {
  it('compile once per form, slots as parameters and keys matched per dialect', () => {
    expect(settingByKey.forms()).toEqual({
      sqlite: 'select "key", "value" from "settings" where "key" = ?',
      postgres: 'select "key", "value" from "settings" where "key" = $1',
    });
    expect(settingValues.forms()).toEqual({
      held: 'select "key", "value" from "settings" where "key" = ? order by "key"',
      sqlite:
        'select "key", "value" from "settings" where "key" in (select value from json_each(?)) order by "key"',
      postgres: 'select "key", "value" from "settings" where "key" = any($1) order by "key"',
    });
  });
});

describeEachDialect('prepared queries', (storage, dialect) => {
  const keys = () => {
    const tag = randomUUID();
    return [`prepared-a-${tag}`, `prepared-b-${tag}`, `prepared-c-${tag}`] as const;
  };

  /** Runs `work` in writeTransaction (held statements on SQLite) and outside one. */
  const bothPaths = async (work: (db: Executor, held: boolean) => Promise<void>) => {
    await writeTransaction(storage(), async (trx) => {
      expect(heldSqlite(trx) !== undefined).toBe(dialect === 'sqlite');
      await work(trx, dialect === 'sqlite');
    });
    await work(storage().db, false);
    await storage()
      .db.transaction()
      .execute((trx) => work(trx, false));
  };

  it('reads, writes and reads by key alike on every path', async () => {
    await bothPaths(async (db) => {
      const [a, b, c] = keys();
      expect(
        await insertSettings.run(db, [
          { key: a, value: '1' },
          { key: b, value: '2' },
        ]),
      ).toBe(2);
      expect(await settingByKey.all(db, { key: a })).toEqual([{ key: a, value: '1' }]);
      expect(await settingByKey.first(db, { key: c })).toBeUndefined();
      expect(await settingEither.all(db, { key: b })).toEqual([{ value: '2' }]);
      expect(await settingValues.rows(db, [a, c, b])).toEqual(
        expect.arrayContaining([
          { key: a, value: '1' },
          { key: b, value: '2' },
        ]),
      );
      expect(await settingValues.rows(db, [c])).toEqual([]);
      expect(await settingValuesAbove.rows(db, [a, b, c], { above: '1' })).toEqual([{ key: b }]);
      expect(await settingValues.rows(db, [])).toEqual([]);
      expect(
        await renameSettings.run(db, [
          { key: a, value: 'one' },
          { key: c, value: 'none' },
        ]),
      ).toBe(1);
      expect(await settingByKey.first(db, { key: a })).toEqual({ key: a, value: 'one' });
    });
  });

  it('writes inside the caller’s transaction, rolled back with it', async () => {
    const [a] = keys();
    await expect(
      writeTransaction(storage(), async (trx) => {
        await insertSettings.run(trx, [{ key: a, value: 'x' }]);
        expect(await settingByKey.first(trx, { key: a })).toEqual({ key: a, value: 'x' });
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect(await settingByKey.first(storage().db, { key: a })).toBeUndefined();
  });
});

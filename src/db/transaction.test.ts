import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/database.js';
import { KeptRows, heldSqlite, writeTransaction } from './transaction.js';

describeEachDialect('writeTransaction', (storage, dialect) => {
  const count = async (key: string) => {
    const { rows } = await sql<{
      n: number;
    }>`select cast(count(*) as integer) as n from settings where key = ${key}`.execute(
      storage().db,
    );
    return Number(rows[0]?.n);
  };

  it.runIf(dialect === 'postgres')('offers no raw SQLite statements on PostgreSQL', async () => {
    await writeTransaction(storage(), async (trx) => {
      expect(heldSqlite(trx)).toBeUndefined();
    });
  });

  it.runIf(dialect === 'sqlite')(
    'offers raw statements only on the connection it holds, inside its transaction',
    async () => {
      expect(heldSqlite(storage().db)).toBeUndefined();
      await storage()
        .db.transaction()
        .execute(async (trx) => {
          expect(heldSqlite(trx)).toBeUndefined();
        });

      await expect(
        writeTransaction(storage(), async (trx) => {
          const insert = heldSqlite(trx)?.prepare(
            'insert into settings (key, value) values (?, ?)',
          );
          expect(insert?.run('held-rolled-back', 'x').changes).toBe(1);
          // Kysely on the same connection sees the raw write: one transaction.
          const { rows } = await sql<{
            value: string;
          }>`select value from settings where key = 'held-rolled-back'`.execute(trx);
          expect(rows).toEqual([{ value: 'x' }]);
          throw new Error('the step failed');
        }),
      ).rejects.toThrow('the step failed');
      expect(await count('held-rolled-back')).toBe(0);

      await writeTransaction(storage(), async (trx) => {
        const statements = heldSqlite(trx);
        const text = 'insert into settings (key, value) values (?, ?)';
        expect(statements?.prepare(text)).toBe(statements?.prepare(text));
        statements?.prepare(text).run('held-committed', 'y');
      });
      expect(await count('held-committed')).toBe(1);
    },
  );

  it.runIf(dialect === 'sqlite')(
    "keeps rows only while every change since they were sealed is the keeper's",
    async () => {
      await writeTransaction(storage(), async (trx) => {
        const statements = heldSqlite(trx);
        if (!statements) throw new Error('no held SQLite statements');
        const kept = new KeptRows<number>(statements, 2);
        const rows = kept.open();
        rows.set('a', 1).set('b', 2).set('c', 3);
        kept.seal();
        expect([...kept.open().keys()]).toEqual(['b', 'c']); // over the limit: the oldest go
        kept.seal();
        statements.prepare('insert into settings (key, value) values (?, ?)').run('kept', 'x');
        expect(kept.open().size).toBe(0); // another statement changed a row
        kept.open().set('d', 4);
        expect(kept.whileOpen()?.get('d')).toBe(4);
        kept.seal();
        kept.seal(); // sealing what was not opened trusts nothing
        expect(kept.open().size).toBe(0);
      });
    },
  );
});

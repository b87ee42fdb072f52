import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/database.js';
import { KeptRows, WalSync, heldSqlite, readRows, writeTransaction } from './transaction.js';

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
    "defers only its own commit's fsync: the connection is back to synchronous=FULL after it",
    async () => {
      const synchronous = async () =>
        (await sql<{ synchronous: number }>`pragma synchronous`.execute(storage().db)).rows[0]
          ?.synchronous;
      let inside: number | undefined;
      await writeTransaction(storage(), async (trx) => {
        inside = (await sql<{ synchronous: number }>`pragma synchronous`.execute(trx)).rows[0]
          ?.synchronous;
        await sql`insert into settings (key, value) values ('deferred', 'x')`.execute(trx);
      });
      expect(inside).toBe(1); // NORMAL: the log is synced by writeTransaction itself
      expect(await synchronous()).toBe(2);
      await expect(
        writeTransaction(storage(), () => Promise.reject(new Error('the step failed'))),
      ).rejects.toThrow('the step failed');
      expect(await synchronous()).toBe(2);
      expect(await count('deferred')).toBe(1);
    },
  );

  it('reads rows, and never the uncommitted rows of a transaction open meanwhile', async () => {
    const db = storage().db;
    const value = (key: string) =>
      readRows(
        db,
        sql<{ value: string }>`select value from settings where key = ${key}`.compile(db),
      );
    await sql`insert into settings (key, value) values ('read-committed', 'x')`.execute(db);
    expect(await value('read-committed')).toEqual([{ value: 'x' }]);

    let inserted!: () => void;
    const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
    let fail!: () => void;
    const failed = new Promise<void>((resolve) => (fail = resolve));
    const transaction = writeTransaction(storage(), async (trx) => {
      await sql`insert into settings (key, value) values ('read-uncommitted', 'y')`.execute(trx);
      inserted();
      await failed;
      throw new Error('the step failed');
    });
    await insertedOnce;
    // Asked while the insert is uncommitted: it waits for the transaction and sees no row.
    const read = value('read-uncommitted');
    fail();
    await expect(transaction).rejects.toThrow('the step failed');
    expect(await read).toEqual([]);
  });

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

describe('WalSync', () => {
  const folder = () => mkdtempSync(join(tmpdir(), 'awn-walsync-'));

  it('syncs the log, one sync at a time shared by the callers that wait for the next', async () => {
    const dir = folder();
    try {
      const log = join(dir, 'awn.sqlite-wal');
      writeFileSync(log, 'frames');
      const sync = new WalSync(log);
      const first = sync.flush();
      // The first may have started before these callers' commits: they share the next sync.
      const second = sync.flush();
      const third = sync.flush();
      expect(second).toBe(third);
      expect(second).not.toBe(first);
      await Promise.all([first, second]);
      await sync.flush(); // idle again: a sync of its own
      sync.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers at once without a log, and rejects when the sync fails', async () => {
    const dir = folder();
    try {
      await new WalSync(join(dir, 'missing-wal')).flush();
      const failing = new WalSync(dir); // a directory cannot be opened for writing
      await expect(failing.flush()).rejects.toThrow(/EISDIR/);
      await expect(failing.flush()).rejects.toThrow(/EISDIR/); // and it is not stuck
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/helpers/database.js';
import { connect } from './connect.js';
import { migrations } from './migrations/index.js';

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

describe('background checkpoints (SQLite)', () => {
  it('lets a process that closes its storage end normally', () => {
    const folder = mkdtempSync(join(tmpdir(), 'awn-checkpoint-'));
    try {
      const script = [
        `import { connect } from ${JSON.stringify(join(import.meta.dirname, 'connect.ts'))};`,
        `const storage = await connect(${JSON.stringify(join(folder, 'awn.sqlite'))}, { backgroundCheckpoints: true });`,
        'await storage.close();',
        "console.log('closed');",
      ].join('\n');
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          encoding: 'utf8',
        },
      );
      // Awaiting an unreferenced worker's exit ends the process early with code 13.
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('closed');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('copies committed writes into the database file from a worker thread', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'awn-checkpoint-'));
    const file = join(folder, 'awn.sqlite');
    const storage = await connect(file, { backgroundCheckpoints: true });
    try {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
        storage.db,
      );
      // Commits no longer checkpoint at SQLite's default 1000 pages: the worker does.
      expect(rows[0]?.wal_autocheckpoint).toBe(16_384);
      await storage.db
        .insertInto('commodities')
        .values({
          code: 'tea',
          name_ar: 'شاي',
          name_en: 'Tea',
          base_unit: 'g',
          display_unit: 'kg',
          display_scale: 1000,
          created_at: new Date().toISOString(),
        })
        .execute();
      // The database file alone (without its -wal) holds the row once a checkpoint ran.
      const copy = join(folder, 'copy.sqlite');
      const deadline = Date.now() + 10_000;
      let found = 0;
      while (found === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        copyFileSync(file, copy);
        const alone = new SqliteDatabase(copy, { readonly: true });
        try {
          found = (
            alone.prepare("select count(*) as n from commodities where code = 'tea'").get() as {
              n: number;
            }
          ).n;
        } catch {
          // Not even the schema has been checkpointed yet.
        } finally {
          alone.close();
        }
      }
      expect(found).toBe(1);
    } finally {
      await storage.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('audit events table (SQLite)', () => {
  it('has seq as its rowid, without an index of its own, rebuilt with every row', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'awn-audit-rowid-'));
    const storage = await connect(join(folder, 'awn.sqlite'));
    try {
      const indexes = async () =>
        (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'index' and tbl_name = 'audit_events' order by name`.execute(
            storage.db,
          )
        ).rows.map((row) => row.name);
      expect(await indexes()).toEqual(['audit_events_entity']);

      const migrator = new Migrator({
        db: storage.db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
      });
      const undone = await migrator.migrateTo('2026-12-07T0000-login-failures');
      expect(undone.error).toBeUndefined();
      expect(await indexes()).toEqual(['audit_events_entity', 'sqlite_autoindex_audit_events_1']);
      await sql`insert into audit_events (seq, at, actor_id, action, entity, entity_id, fields_json, request_id, previous_hash, hash) values (1, 't1', null, 'create', 'household', 'h1', '[]', null, 'g', 'a'), (2, 't2', 'u1', 'read', 'household', 'h1', '["phone"]', 'r1', 'a', 'b')`.execute(
        storage.db,
      );

      const redone = await migrator.migrateToLatest();
      expect(redone.error).toBeUndefined();
      expect(await indexes()).toEqual(['audit_events_entity']);
      const { rows } = await sql<{
        seq: number;
        actor_id: string | null;
        hash: string;
      }>`select seq, actor_id, hash from audit_events order by seq`.execute(storage.db);
      expect(rows).toEqual([
        { seq: 1, actor_id: null, hash: 'a' },
        { seq: 2, actor_id: 'u1', hash: 'b' },
      ]);
    } finally {
      await storage.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

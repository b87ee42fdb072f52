import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { seedDemoRegistry } from '../../src/modules/demo/demo.registry.js';
import { seedDemo } from '../../src/modules/demo/demo.seed.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/database.js';

const bin = join(import.meta.dirname, '../../bin/awn.js');

function awn(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, AWN_DATABASE: '' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it('prints help naming every command', () => {
  const { code, stdout } = awn(['--help']);
  expect(code).toBe(0);
  for (const command of ['serve', 'migrate', 'user', 'ledger', 'audit', 'routes', 'backup']) {
    expect(stdout).toContain(command);
  }
});

for (const dialect of dialects) {
  const available = dialect === 'sqlite' || inject('postgresUrl') !== null;
  (available ? describe : describe.skip)(`awn command [${dialect}]`, () => {
    let database: TestDatabase;
    const folder = mkdtempSync(join(tmpdir(), 'awn-cli-'));
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await database.drop();
      rmSync(folder, { recursive: true, force: true });
    });

    it('migrates, then refuses to serve an empty database and says how to create the admin', () => {
      expect(awn(['migrate', '--database', database.url]).code).toBe(0);
      const serve = awn(['serve', '--port', '0', '--database', database.url]);
      expect(serve.code).toBe(1);
      expect(serve.stderr).toContain('awn user create --username admin --role admin');
    });

    it('creates a user with the password from standard input, and refuses a bad role', () => {
      const created = awn(
        [
          'user',
          'create',
          '--username',
          'first-admin',
          '--role',
          'admin',
          '--password-stdin',
          '--database',
          database.url,
        ],
        'a long enough passphrase\n',
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain('first-admin');
      expect(created.stdout).not.toContain('passphrase');
      const bad = awn(
        [
          'user',
          'create',
          '--username',
          'x-user',
          '--role',
          'king',
          '--password-stdin',
          '--database',
          database.url,
        ],
        'a long enough passphrase\n',
      );
      expect(bad.code).not.toBe(0);
      const short = awn(
        [
          'user',
          'create',
          '--username',
          'short-pw',
          '--role',
          'admin',
          '--password-stdin',
          '--database',
          database.url,
        ],
        'short\n',
      );
      expect(short.code).toBe(1);
    });

    it('verifies the ledger and the audit log, and names a tampered audit event', async () => {
      expect(awn(['ledger', 'verify', '--database', database.url]).code).toBe(0);
      const intact = awn(['audit', 'verify', '--database', database.url]);
      expect(intact.code).toBe(0);
      const head = /Head: (\d+:[0-9a-f]{64})/.exec(intact.stdout)?.[1];
      expect(head).toBeDefined();
      const storage = await connect(database.url);
      // The newest event deleted: only the recorded head catches it.
      await storage.db
        .deleteFrom('audit_events')
        .where('seq', '=', Number(head?.split(':')[0]))
        .execute();
      expect(awn(['audit', 'verify', '--database', database.url]).code).toBe(0);
      const truncated = awn(['audit', 'verify', '--head', head ?? '', '--database', database.url]);
      expect(truncated.code).toBe(2);
      expect(truncated.stderr).toContain('head-missing');
      expect(awn(['audit', 'verify', '--head', 'nonsense', '--database', database.url]).code).toBe(
        1,
      );
      await storage.db
        .updateTable('audit_events')
        .set({ action: 'user.delete' })
        .where('seq', '=', 1)
        .execute();
      await storage.close();
      const tampered = awn(['audit', 'verify', '--database', database.url]);
      expect(tampered.code).toBe(2);
      expect(tampered.stderr).toContain('event 1');
    });

    it(
      'redeems at a service point and closes a cycle from the command line',
      { timeout: 180_000 },
      async () => {
        const storage = await connect(database.url);
        const seed = await seedDemo(storage, systemClock);
        if (!seed) throw new Error('the demo was not seeded');
        await seedDemoRegistry(storage, seed, systemClock, 20);
        const cycle = await storage.db.selectFrom('cycles').select('id').executeTakeFirstOrThrow();
        const household = await storage.db
          .selectFrom('households')
          .select('card_number')
          .orderBy('id', 'desc')
          .executeTakeFirstOrThrow();
        await storage.close();
        const point = seed.servicePointIds[0] ?? '';
        const card = household.card_number ?? '';
        const args = [
          'redeem',
          '--card',
          card,
          '--service-point',
          point,
          '--database',
          database.url,
        ];
        const id = '0190c5b0-0000-7000-8000-000000000001';
        const first = awn([...args, '--item', 'sugar=١٠٠٠', '--id', id]);
        expect(first.code, first.stderr).toBe(0);
        expect(first.stdout).toContain('sugar');
        expect(awn([...args, '--item', 'sugar=1000', '--id', id]).stdout).toContain(
          'Already redeemed',
        );
        const tooMuch = awn([...args, '--item', 'gas=50']);
        expect(tooMuch.code).toBe(1);
        expect(tooMuch.stderr).toContain('insufficient-entitlement');
        const closed = awn(['cycle', 'close', cycle.id, '--database', database.url]);
        expect(closed.code, closed.stderr).toBe(0);
        expect(closed.stdout).toContain('closed');
        expect(awn([...args, '--item', 'rice=1000']).stderr).toContain('cycle-closed');
        expect(awn(['ledger', 'verify', '--database', database.url]).code).toBe(0);
      },
    );

    it('backs up to a file', () => {
      const file = join(folder, dialect === 'sqlite' ? 'backup.sqlite' : 'backup.dump');
      const result = awn(['backup', file, '--database', database.url]);
      expect(result.code, result.stderr).toBe(0);
      expect(existsSync(file)).toBe(true);
      expect(awn(['backup', file, '--database', database.url]).code).toBe(1);
    });
  });
}

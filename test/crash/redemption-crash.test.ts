/**
 * Kills the server with SIGKILL in the middle of a redemption load, several times, and checks
 * after each restart that every acknowledged redemption is still there (a replay answers 200
 * with the same body) and that `awn ledger verify` is clean.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../bin/awn.js');
const folder = mkdtempSync(join(tmpdir(), 'awn-crash-'));
const database = join(folder, 'awn.sqlite');
const password = 'crash-test-passphrase';
let server: ChildProcess | undefined;

afterAll(() => {
  server?.kill('SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function awn(args: string[], input = '') {
  return spawnSync(process.execPath, [bin, ...args, '--database', database], {
    input,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

async function startServer(port: number): Promise<void> {
  server = spawn(process.execPath, [bin, 'serve', '--port', String(port), '--database', database], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, AWN_LOG_LEVEL: 'warn' },
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('server did not start');
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null
      ? resolve()
      : child.once('exit', () => resolve()),
  );
}

class Client {
  cookie = '';
  constructor(readonly base: string) {}
  async login(username: string): Promise<void> {
    const response = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(response.status).toBe(200);
    this.cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }
  async post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: this.cookie, origin: this.base },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }
}

it('keeps every acknowledged redemption across SIGKILL and verifies the ledger', async () => {
  expect(
    awn(
      ['user', 'create', '--username', 'admin', '--role', 'admin', '--password-stdin'],
      `${password}\n`,
    ).status,
  ).toBe(0);
  expect(
    awn(
      [
        'user',
        'create',
        '--username',
        'clerk',
        '--role',
        'outlet_clerk',
        '--scope',
        'SY06',
        '--password-stdin',
      ],
      `${password}\n`,
    ).status,
  ).toBe(0);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  await startServer(port);

  const admin = new Client(base);
  await admin.login('admin');
  const ok = (result: { status: number; body: unknown }) => {
    expect(result.status, JSON.stringify(result.body)).toBeLessThan(300);
    return result.body as { id: string; card_number?: string };
  };
  ok(
    await admin.post('/api/v1/commodities', {
      code: 'bread',
      name_ar: 'خبز',
      name_en: 'Bread',
      base_unit: 'bundle',
      display_unit: 'bundle',
      display_scale: 1,
    }),
  );
  const point = ok(
    await admin.post('/api/v1/service-points', {
      name_ar: 'فرن الاختبار',
      name_en: 'Test bakery',
      area_pcode: 'SY060000',
    }),
  );
  ok(
    await admin.post(`/api/v1/service-points/${point.id}/stock`, {
      id: randomUUID(),
      commodity: 'bread',
      quantity: 100_000,
    }),
  );
  const cards: string[] = [];
  for (let index = 0; index < 40; index += 1) {
    const household = ok(
      await admin.post('/api/v1/households', {
        head_given_name: 'سامر',
        head_father_name: 'علي',
        head_family_name: `اختبار${index}`,
        household_size: 4,
        area_pcode: 'SY060000',
        // Forty look-alike test households: saved anyway, as a registrar would with a reason.
        confirm_not_duplicate: true,
        duplicate_reason: 'crash test households',
      }),
    );
    cards.push(household.card_number ?? '');
  }
  const programme = ok(
    await admin.post('/api/v1/programmes', {
      code: 'crash-bread',
      name_ar: 'خبز',
      name_en: 'Bread',
      rules: { items: [{ commodity: 'bread', per_person: 250, min: 1, max: 100_000 }] },
    }),
  );
  const cycle = ok(
    await admin.post('/api/v1/cycles', {
      programme_id: programme.id,
      starts_on: '2026-01-01',
      ends_on: '2099-12-31',
      area_pcodes: ['SY06'],
    }),
  );
  ok(await admin.post(`/api/v1/cycles/${cycle.id}/open`, {}));

  const acknowledged = new Map<string, { body: unknown; response: unknown }>();
  for (let round = 0; round < 3; round += 1) {
    const clerk = new Client(base);
    await clerk.login('clerk');
    let running = true;
    const worker = async () => {
      while (running) {
        const body = {
          id: randomUUID(),
          card: cards[Math.floor(Math.random() * cards.length)],
          service_point_id: point.id,
          items: [{ commodity: 'bread', quantity: 1 }],
        };
        try {
          const result = await clerk.post('/api/v1/redemptions', body);
          if (result.status === 201) acknowledged.set(body.id, { body, response: result.body });
        } catch {
          return; // the server died under us
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 1500 + Math.random() * 1500));
    const victim = server!;
    victim.kill('SIGKILL');
    running = false;
    await Promise.all(workers);
    await stopped(victim);

    await startServer(port);
    const after = new Client(base);
    await after.login('clerk');
    for (const [id, { body, response }] of acknowledged) {
      const replay = await after.post('/api/v1/redemptions', body);
      expect(replay.status, `redemption ${id} was acknowledged but is gone`).toBe(200);
      expect(replay.body).toEqual(response);
    }
    const victimAfter = server!;
    victimAfter.kill('SIGTERM');
    await stopped(victimAfter);
    const verify = awn(['ledger', 'verify']);
    expect(verify.status, verify.stderr).toBe(0);
    await startServer(port);
  }
  expect(acknowledged.size).toBeGreaterThan(0);
});

/**
 * A flood of failed sign-ins must not hold up commits: hashing runs on threads of its own with
 * a bounded queue (the rest get 429 at once), so a write transaction, whose fdatasync runs on
 * libuv's thread pool on SQLite, commits in milliseconds meanwhile. Before, 600 concurrent
 * failed sign-ins filled that pool with scrypt and a redemption waited 35.7 s.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { writeTransaction } from '../../db/transaction.js';
import { systemActor } from '../../domain/actor.js';
import type { AwnApp } from '../../server/app.js';
import { systemClock } from '../../shared/clock.js';
import { appendAuditEvent } from '../audit/audit.repository.js';
import { configurePasswordHashing, defaultHashingLimits } from './password.js';

describeEachDialect('a flood of failed sign-ins', (storage) => {
  let app: AwnApp;
  beforeAll(async () => {
    // A small queue keeps the test short; the rule is the same at any size.
    configurePasswordHashing({ threads: 1, queue: 4 });
    app = await buildTestApp(storage(), { trustedProxies: ['127.0.0.1'] });
  });
  afterAll(async () => {
    await app.close();
    configurePasswordHashing(defaultHashingLimits);
  });

  it('is refused past the hashing queue with 429 too-many-requests, while commits go on', async () => {
    const started = performance.now();
    const flood = Promise.all(
      Array.from({ length: 150 }, (_, index) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: `nobody-${index}`, password: 'wrong password' },
          // Each from an address of its own, as from a botnet: no throttle stops them.
          headers: { 'x-forwarded-for': `10.${index >> 8}.${index & 255}.1` },
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const commitStarted = performance.now();
    await writeTransaction(storage(), (trx) =>
      appendAuditEvent(
        trx,
        { actor: systemActor, action: 'test.commit', entity: 'test', entityId: null, fields: [] },
        systemClock,
      ),
    );
    const commit_ms = performance.now() - commitStarted;
    const answers = await flood;
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    const busy = answers.filter((answer) => answer.statusCode === 429);
    expect(busy.length).toBeGreaterThanOrEqual(150 - 5);
    expect(busy[0]?.json()).toMatchObject({ code: 'too-many-requests' });
    expect(busy[0]?.headers['retry-after']).toBe('1');
    // Milliseconds at rest; seconds when the sync queued behind 150 scrypt hashes.
    expect(commit_ms).toBeLessThan(1500);
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});

import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/database.js';
import { buildTestApp, loginAs } from '../../../test/helpers/app.js';
import type { Storage } from '../../db/connect.js';
import { writeTransaction } from '../../db/transaction.js';
import type { Actor } from '../../domain/actor.js';
import { seedTestAreas } from '../cycles/cycles.fixtures.js';
import { canonicalJson, genesisHash, hashAuditEvent } from './audit.chain.js';
import { appendAuditEvent, appendAuditEvents, logPersonalDataRead } from './audit.repository.js';
import { verifyAuditLog } from './audit.service.js';

const actor: Actor = {
  kind: 'user',
  userId: 'user-1',
  role: 'registrar',
  scope: { kind: 'all' },
  requestId: 'request-1',
};
const clock = () => new Date('2026-11-29T08:00:00.000Z');

async function freshLog(storage: Storage, count: number): Promise<void> {
  await storage.db.deleteFrom('audit_events').execute();
  for (let index = 0; index < count; index += 1) {
    await writeTransaction(storage, (trx) =>
      appendAuditEvent(
        trx,
        {
          actor,
          action: 'household.update',
          entity: 'household',
          entityId: `h-${index}`,
          fields: ['phone'],
        },
        clock,
      ),
    );
  }
}

describe('canonicalJson', () => {
  it('orders keys so that equal content gives equal text', () => {
    expect(canonicalJson({ b: 1, a: 'x', c: null })).toBe('{"a":"x","b":1,"c":null}');
    expect(canonicalJson({ c: null, a: 'x', b: 1 })).toBe(canonicalJson({ b: 1, a: 'x', c: null }));
  });
});

describeEachDialect('audit log', (storage) => {
  it('chains events: seq + 1, previous hash, recomputable hash, field names only', async () => {
    await freshLog(storage(), 3);
    const events = await storage()
      .db.selectFrom('audit_events')
      .selectAll()
      .orderBy('seq')
      .execute();
    expect(events.map((event) => Number(event.seq))).toEqual([1, 2, 3]);
    expect(events[0]?.previous_hash).toBe(genesisHash);
    expect(events[1]?.previous_hash).toBe(events[0]?.hash);
    for (const event of events) {
      expect(hashAuditEvent({ ...event, seq: Number(event.seq) })).toBe(event.hash);
      expect(event.fields_json).toBe('["phone"]');
      expect(event.actor_id).toBe('user-1');
      expect(event.request_id).toBe('request-1');
    }
    expect(await verifyAuditLog(storage().db)).toMatchObject({ ok: true, events: 3 });
  });

  it('appends in bulk and records reads of personal data', async () => {
    await freshLog(storage(), 1);
    await writeTransaction(storage(), async (trx) => {
      await appendAuditEvents(
        trx,
        [1, 2, 3].map((index) => ({
          actor,
          action: 'household.create',
          entity: 'household',
          entityId: `b-${index}`,
          fields: ['national_id', 'head_given_name', 'national_id'],
        })),
        clock,
      );
      await logPersonalDataRead(trx, actor, 'household', 'b-1', ['phone', 'national_id'], clock);
    });
    const last = await storage()
      .db.selectFrom('audit_events')
      .selectAll()
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(Number(last.seq)).toBe(5);
    expect(last.action).toBe('read');
    expect(JSON.parse(last.fields_json)).toEqual(['national_id', 'phone']);
    expect(await verifyAuditLog(storage().db)).toMatchObject({ ok: true, events: 5 });
  });

  it('rolls the event back with the transaction it belongs to', async () => {
    await freshLog(storage(), 2);
    await expect(
      writeTransaction(storage(), async (trx) => {
        await appendAuditEvent(
          trx,
          { actor, action: 'x.y', entity: 'x', entityId: null, fields: [] },
          clock,
        );
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect(await verifyAuditLog(storage().db)).toMatchObject({ ok: true, events: 2 });
  });

  it('detects a changed field and names the event', async () => {
    await freshLog(storage(), 5);
    await storage()
      .db.updateTable('audit_events')
      .set({ action: 'household.create' })
      .where('seq', '=', 3)
      .execute();
    expect(await verifyAuditLog(storage().db)).toMatchObject({
      ok: false,
      events: 3,
      firstBad: { seq: 3, reason: 'hash-mismatch' },
    });
  });

  it('detects a deleted event at its successor', async () => {
    await freshLog(storage(), 5);
    await storage().db.deleteFrom('audit_events').where('seq', '=', 2).execute();
    expect((await verifyAuditLog(storage().db)).firstBad).toEqual({
      seq: 3,
      reason: 'sequence-gap',
    });
    await freshLog(storage(), 3);
    await storage().db.deleteFrom('audit_events').where('seq', '=', 1).execute();
    expect((await verifyAuditLog(storage().db)).firstBad).toEqual({
      seq: 2,
      reason: 'sequence-gap',
    });
  });

  it('answers the head, and with a recorded head detects deleted newest events', async () => {
    await freshLog(storage(), 5);
    const intact = await verifyAuditLog(storage().db);
    const head = intact.head;
    expect(head?.seq).toBe(5);
    expect(await verifyAuditLog(storage().db, head ?? undefined)).toMatchObject({ ok: true });

    // A later append keeps the recorded head valid: it is still in the chain.
    await writeTransaction(storage(), (trx) =>
      appendAuditEvent(
        trx,
        { actor, action: 'user.create', entity: 'user', entityId: 'u-6', fields: [] },
        clock,
      ),
    );
    expect(await verifyAuditLog(storage().db, head ?? undefined)).toMatchObject({ ok: true });

    // The newest events deleted: a valid, shorter chain, caught only by the recorded head.
    await storage().db.deleteFrom('audit_events').where('seq', '>=', 4).execute();
    expect((await verifyAuditLog(storage().db)).ok).toBe(true);
    expect((await verifyAuditLog(storage().db, head ?? undefined)).firstBad).toEqual({
      seq: 5,
      reason: 'head-missing',
    });

    // Rebuilt past the recorded seq with other events: the event at that seq is not the one.
    for (const entityId of ['x-4', 'x-5']) {
      await writeTransaction(storage(), (trx) =>
        appendAuditEvent(
          trx,
          { actor, action: 'user.create', entity: 'user', entityId, fields: [] },
          clock,
        ),
      );
    }
    expect((await verifyAuditLog(storage().db)).ok).toBe(true);
    expect((await verifyAuditLog(storage().db, head ?? undefined)).firstBad).toEqual({
      seq: 5,
      reason: 'head-mismatch',
    });
  });

  it('detects an inserted event', async () => {
    // Appended at the end by hand, not chained to the head.
    await freshLog(storage(), 4);
    const forged = {
      seq: 5,
      at: '2026-11-29T09:00:00.000Z',
      actor_id: 'user-2',
      action: 'user.create',
      entity: 'user',
      entity_id: 'u-9',
      fields_json: '[]',
      request_id: null,
      previous_hash: genesisHash,
    };
    await storage()
      .db.insertInto('audit_events')
      .values({ ...forged, hash: hashAuditEvent(forged) })
      .execute();
    expect((await verifyAuditLog(storage().db)).firstBad).toEqual({
      seq: 5,
      reason: 'chain-broken',
    });

    // Slipped in the middle (later events renumbered), with a made-up hash.
    await freshLog(storage(), 4);
    for (const seq of [4, 3]) {
      await storage()
        .db.updateTable('audit_events')
        .set({ seq: seq + 1 })
        .where('seq', '=', seq)
        .execute();
    }
    const second = await storage()
      .db.selectFrom('audit_events')
      .select('hash')
      .where('seq', '=', 2)
      .executeTakeFirstOrThrow();
    const middle = { ...forged, seq: 3, previous_hash: second.hash };
    await storage()
      .db.insertInto('audit_events')
      .values({ ...middle, hash: 'f'.repeat(64) })
      .execute();
    expect((await verifyAuditLog(storage().db)).firstBad).toEqual({
      seq: 3,
      reason: 'hash-mismatch',
    });

    // The same with a correctly computed hash: the event after it no longer links.
    await storage()
      .db.updateTable('audit_events')
      .set({ hash: hashAuditEvent(middle) })
      .where('seq', '=', 3)
      .execute();
    expect((await verifyAuditLog(storage().db)).firstBad).toEqual({
      seq: 4,
      reason: 'chain-broken',
    });
  });

  it('serializes concurrent appends into one unbroken chain', async () => {
    await freshLog(storage(), 0);
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        writeTransaction(storage(), (trx) =>
          appendAuditEvent(
            trx,
            { actor, action: 'x.y', entity: 'x', entityId: String(index), fields: [] },
            clock,
          ),
        ),
      ),
    );
    expect(await verifyAuditLog(storage().db)).toMatchObject({ ok: true, events: 20 });
  });

  it('lists events for admins and auditors with filters and a cursor, and verifies over HTTP', async () => {
    await freshLog(storage(), 0);
    const app = await buildTestApp(storage());
    try {
      const auditor = await loginAs(app, storage(), 'auditor');
      const page = await app.inject({
        method: 'GET',
        url: '/api/v1/audit-events?entity=user&limit=1',
        headers: auditor.headers,
      });
      expect(page.statusCode).toBe(200);
      const body = page.json<{
        items: { seq: number; action: string; fields: string[] }[];
        next_cursor: string | null;
      }>();
      expect(body.items).toHaveLength(1);
      expect(body.items[0]?.action).toBe('auth.login');
      expect(body.next_cursor).not.toBeNull();
      const next = await app.inject({
        method: 'GET',
        url: `/api/v1/audit-events?entity=user&limit=1&cursor=${body.next_cursor}`,
        headers: auditor.headers,
      });
      expect(next.json<{ items: { action: string }[] }>().items[0]?.action).toBe('user.create');
      const verify = await app.inject({
        method: 'POST',
        url: '/api/v1/audit-events/verify',
        headers: auditor.headers,
      });
      const head = verify.json<{ head: string }>().head;
      expect(verify.json()).toMatchObject({
        ok: true,
        events: 2,
        head: expect.stringMatching(/^2:/),
      });
      const againstHead = await app.inject({
        method: 'POST',
        url: `/api/v1/audit-events/verify?head=${head}`,
        headers: auditor.headers,
      });
      expect(againstHead.json()).toMatchObject({ ok: true, head });
      const malformed = await app.inject({
        method: 'POST',
        url: '/api/v1/audit-events/verify?head=2:abc',
        headers: auditor.headers,
      });
      expect(malformed.statusCode).toBe(400);
      await storage()
        .db.updateTable('audit_events')
        .set({ fields_json: '["password_hash"]' })
        .where('seq', '=', 1)
        .execute();
      const broken = await app.inject({
        method: 'POST',
        url: '/api/v1/audit-events/verify',
        headers: auditor.headers,
      });
      expect(broken.json()).toEqual({
        ok: false,
        events: 1,
        head: null,
        first_bad: { seq: 1, reason: 'hash-mismatch' },
      });
    } finally {
      await app.close();
    }
  });

  it('names actors and records, filters by day range, and exports a neutralised, audited CSV', async () => {
    await freshLog(storage(), 0);
    const app = await buildTestApp(storage());
    try {
      await seedTestAreas(storage().db);
      const auditor = await loginAs(app, storage(), 'auditor');
      const admin = await loginAs(app, storage(), 'admin');
      const partner = await app.inject({
        method: 'POST',
        url: '/api/v1/partners',
        headers: admin.headers,
        payload: {
          kind: 'bakery',
          name_ar: '=HYPERLINK("x")',
          name_en: 'Bakery',
          area_pcode: 'SY0600',
        },
      });
      expect(partner.statusCode).toBe(201);
      const partnerId = partner.json<{ id: string }>().id;
      // An old event, on a day the range below leaves out.
      await writeTransaction(storage(), (trx) =>
        appendAuditEvent(
          trx,
          { actor, action: 'household.update', entity: 'household', entityId: 'h-old', fields: [] },
          () => new Date('2020-01-15T10:00:00.000Z'),
        ),
      );
      const list = await app.inject({
        method: 'GET',
        url: `/api/v1/audit-events?entity=partner&entity_id=${partnerId}`,
        headers: auditor.headers,
      });
      expect(list.statusCode).toBe(200);
      expect(list.json<{ items: unknown[] }>().items).toEqual([
        expect.objectContaining({
          action: 'partner.create',
          actor: { display_name: admin.user.display_name, role: 'admin' },
          record: { label_ar: '=HYPERLINK("x")', label_en: 'Bakery' },
        }),
      ]);
      const range = (query: string) =>
        app.inject({
          method: 'GET',
          url: `/api/v1/audit-events?${query}`,
          headers: auditor.headers,
        });
      const all = (await range('limit=500')).json<{ items: { entity_id: string | null }[] }>();
      expect(all.items.map((item) => item.entity_id)).toContain('h-old');
      const only2020 = (await range('from=2020-01-15&to=2020-01-15')).json<{
        items: { entity_id: string | null }[];
      }>();
      expect(only2020.items.map((item) => item.entity_id)).toEqual(['h-old']);
      const after = (await range('from=2020-01-16')).json<{
        items: { entity_id: string | null }[];
      }>();
      expect(after.items.map((item) => item.entity_id)).not.toContain('h-old');
      const backwards = await range('from=2020-01-16&to=2020-01-15');
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json()).toMatchObject({
        errors: [{ path: '/to', code: 'ends-before-starts' }],
      });
      expect((await range('from=15/01/2020')).statusCode).toBe(400);

      const csv = await app.inject({
        method: 'GET',
        url: '/api/v1/exports/audit-events.csv?entity=partner',
        headers: auditor.headers,
      });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toMatch(/attachment; filename="audit-log-/);
      const lines = csv.body
        .replace(/^\uFEFF/u, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe(
        '"seq","at","actor","actor_role","action","entity","entity_id","record","fields","request_id","token_id","hash"',
      );
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`"${admin.user.display_name}","admin","partner.create","partner"`);
      // The formula a partner's name could smuggle in is neutralised.
      expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
      const exported = await range('action=audit.export');
      expect(exported.json<{ items: unknown[] }>().items).toEqual([
        expect.objectContaining({
          entity: 'audit_event',
          fields: ['entity'],
          actor: expect.objectContaining({ role: 'auditor' }),
        }),
      ]);
      const actors = await app.inject({
        method: 'GET',
        url: '/api/v1/audit-events/actors',
        headers: auditor.headers,
      });
      expect(actors.json<{ items: unknown[] }>().items).toContainEqual({
        id: admin.user.id,
        display_name: admin.user.display_name,
        role: 'admin',
      });
      const registrar = await loginAs(app, storage(), 'registrar');
      const refused = await app.inject({
        method: 'GET',
        url: '/api/v1/exports/audit-events.csv',
        headers: registrar.headers,
      });
      expect(refused.statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});

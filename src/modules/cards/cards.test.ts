import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCardNumber } from '../../domain/identity/card-number.js';
import { describeEachDialect } from '../../../test/helpers/database.js';
import {
  buildHouseholdInput,
  scopedActor,
  seedTestAreas,
  testActor,
  testAreas,
} from '../households/households.factories.js';
import { createHousehold } from '../households/households.create.js';
import {
  buildCardSheet,
  cardPayloads,
  getCardPublicKey,
  loadCardKeys,
  reissueCard,
  resolveCard,
} from './cards.service.js';
import { escapeHtml } from './cards.sheet.js';
import { parsePrivateKey, signCardPayload, verifyCardPayload } from './cards.signing.js';

const clock = () => new Date('2026-11-29T10:00:00.000Z');
const registrar = testActor('registrar');

describe('card payload signing', () => {
  const keys = parsePrivateKey(
    generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  const claims = {
    card_number: makeCardNumber(1234567890),
    household_id: '0190a0b0-0000-7000-8000-000000000001',
    issued_on: '2026-11-29',
  };

  it('verifies what it signs and returns the claims', () => {
    const payload = signCardPayload(claims, keys);
    expect(payload).toMatch(/^AWN1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/u);
    expect(verifyCardPayload(payload, keys.publicKey)).toEqual({ ok: true, ...claims });
  });

  it('refuses a payload whose claims were altered, or signed with another key', () => {
    const payload = signCardPayload(claims, keys);
    const [version, , signature] = payload.split('.');
    const altered = Buffer.from(
      JSON.stringify({ c: claims.card_number, h: 'someone-else', d: claims.issued_on }),
    ).toString('base64url');
    expect(verifyCardPayload(`${version}.${altered}.${signature}`, keys.publicKey)).toEqual({
      ok: false,
      code: 'card-invalid',
    });
    const forger = parsePrivateKey(
      generateKeyPairSync('ed25519')
        .privateKey.export({ format: 'der', type: 'pkcs8' })
        .toString('base64'),
    );
    expect(verifyCardPayload(signCardPayload(claims, forger), keys.publicKey).ok).toBe(false);
    for (const junk of [
      '',
      'AWN1',
      'AWN1..',
      'AWN2.a.b',
      `AWN1.${'a'.repeat(2000)}.b`,
      'AWN1.!!.??',
    ]) {
      expect(verifyCardPayload(junk, keys.publicKey).ok, junk).toBe(false);
    }
  });

  it('refuses a signed payload with bad card check digits', () => {
    const payload = signCardPayload({ ...claims, card_number: '123456789012' }, keys);
    expect(verifyCardPayload(payload, keys.publicKey).ok).toBe(false);
  });

  it('accepts only Ed25519 keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() => parsePrivateKey(rsa.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(
      /Ed25519/u,
    );
  });

  it('escapes text put into the sheet', () => {
    expect(escapeHtml('<script>"&\'')).toBe('&#60;script&#62;&#34;&#38;&#39;');
  });
});

describeEachDialect('cards', (storage) => {
  beforeAll(async () => {
    await seedTestAreas(storage().db);
  });

  it('creates one signing key on first use and publishes its public half', async () => {
    const first = await loadCardKeys(storage().db, {});
    const again = await loadCardKeys(storage().db, {});
    expect(again.publicKey.export({ format: 'pem', type: 'spki' })).toEqual(
      first.publicKey.export({ format: 'pem', type: 'spki' }),
    );
    const published = await getCardPublicKey(storage().db);
    expect(published.pem).toContain('BEGIN PUBLIC KEY');
    expect(Buffer.from(published.raw_base64, 'base64')).toHaveLength(32);
  });

  it('uses the configured key when AWN_CARD_SIGNING_KEY is set', async () => {
    const pem = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    const keys = await loadCardKeys(storage().db, { AWN_CARD_SIGNING_KEY: pem });
    expect(keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()).toBe(pem);
  });

  it('resolves a card number or a signed payload to its household', async () => {
    const household = await createHousehold(storage(), registrar, buildHouseholdInput(), clock);
    const byNumber = await resolveCard(storage().db, household.card_number);
    expect(byNumber).toMatchObject({
      ok: true,
      card_number: household.card_number,
      household: { id: household.id, status: 'active', area_pcode: testAreas.community },
    });
    const payload = (await cardPayloads(storage().db, [household.id])).get(household.id)?.payload;
    expect(payload).toBeDefined();
    expect(await resolveCard(storage().db, payload ?? '')).toMatchObject({
      ok: true,
      household: { id: household.id },
    });
    // Typed with Arabic-Indic digits and spaces.
    const typed = household.card_number
      .replace(/(\d{4})/gu, '$1 ')
      .replace(/\d/gu, (digit) => String.fromCharCode(0x0660 + Number(digit)));
    expect((await resolveCard(storage().db, typed)).ok).toBe(true);
  });

  it('answers card-invalid for a forged payload, bad check digits or an unknown card', async () => {
    const household = await createHousehold(storage(), registrar, buildHouseholdInput(), clock);
    const forger = parsePrivateKey(
      generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    );
    const forged = signCardPayload(
      { card_number: household.card_number, household_id: household.id, issued_on: '2026-11-29' },
      forger,
    );
    expect(await resolveCard(storage().db, forged)).toEqual({ ok: false, code: 'card-invalid' });
    expect(await resolveCard(storage().db, '123456789012')).toEqual({
      ok: false,
      code: 'card-invalid',
    });
    expect(await resolveCard(storage().db, makeCardNumber(9_999_999_999))).toEqual({
      ok: false,
      code: 'card-invalid',
    });
    // A genuine signature over claims that disagree with the card on record.
    const keys = await loadCardKeys(storage().db);
    const mismatched = signCardPayload(
      { card_number: household.card_number, household_id: 'another', issued_on: '2026-11-29' },
      keys,
    );
    expect(await resolveCard(storage().db, mismatched)).toEqual({
      ok: false,
      code: 'card-invalid',
    });
  });

  it('reissues a lost card: the old number and payload answer card-revoked', async () => {
    const household = await createHousehold(storage(), registrar, buildHouseholdInput(), clock);
    const oldPayload =
      (await cardPayloads(storage().db, [household.id])).get(household.id)?.payload ?? '';
    const reissued = await reissueCard(storage(), registrar, household.id, 'lost', clock);
    expect(reissued.card_number).not.toBe(household.card_number);
    expect(reissued.revoked).toEqual([household.card_number]);
    expect(await resolveCard(storage().db, household.card_number)).toEqual({
      ok: false,
      code: 'card-revoked',
    });
    expect(await resolveCard(storage().db, oldPayload)).toEqual({
      ok: false,
      code: 'card-revoked',
    });
    expect(await resolveCard(storage().db, reissued.payload)).toMatchObject({
      ok: true,
      household: { id: household.id },
    });
    const row = await storage()
      .db.selectFrom('households')
      .select('card_number')
      .where('id', '=', household.id)
      .executeTakeFirstOrThrow();
    expect(row.card_number).toBe(reissued.card_number);
    await expect(
      reissueCard(
        storage(),
        scopedActor('registrar', '/SY06/SY0600/SY060100/'),
        household.id,
        'lost',
        clock,
      ),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('prints an A4 Arabic sheet with QR codes for a household or a filtered list', async () => {
    const household = await createHousehold(
      storage(),
      registrar,
      buildHouseholdInput({ head_given_name: 'بطاقة', head_family_name: '<b>طباعة</b>' }),
      clock,
    );
    const single = await buildCardSheet(
      storage(),
      registrar,
      { household_id: household.id },
      clock,
    );
    expect(single.count).toBe(1);
    expect(single.html).toContain('<html lang="ar" dir="rtl">');
    expect(single.html).toContain('size: A4');
    expect(single.html).toContain('<svg');
    expect(single.html).toContain('الصليبة');
    expect(single.html).toContain('&#60;b&#62;طباعة');
    expect(single.html).not.toContain('<b>طباعة');

    const listed = await buildCardSheet(storage(), registrar, { q: 'بطاقة' }, clock);
    expect(listed.count).toBe(1);
    const reads = await storage()
      .db.selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', household.id)
      .where('action', '=', 'read')
      .execute();
    expect(reads).toHaveLength(2);
  });
});

// The field app's offline checks against the server's own code: a card payload signed by the
// server verifies in the app (WebCrypto Ed25519, as in the browser) and an altered one does not;
// a typed card number passes by its check digits.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeCardNumber } from '../../../src/domain/identity/card-number';
// A test may use the server's own signer: the app must accept what it signs.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import { publishPublicKey, signCardPayload } from '../../../src/modules/cards/cards.signing';
import { checkCard, importCardKey } from './card';

describe('the offline card check', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const cardNumber = makeCardNumber(123_456, '06');
  const payload = signCardPayload(
    { card_number: cardNumber, household_id: 'household-1', issued_on: '2026-12-01' },
    { privateKey },
  );

  it("verifies a payload the server signed with WebCrypto's Ed25519, and refuses an altered one", async () => {
    const key = await importCardKey(publishPublicKey(publicKey).raw_base64);
    expect(key).not.toBeNull();
    expect(await checkCard(payload, key)).toEqual({
      ok: true,
      card_number: cardNumber,
      household_id: 'household-1',
      payload,
    });
    const [version, body, signature] = payload.split('.') as [string, string, string];
    const forgedBody = Buffer.from(
      JSON.stringify({ c: makeCardNumber(999, '06'), h: 'household-1', d: '2026-12-01' }),
    ).toString('base64url');
    for (const forged of [
      `${version}.${forgedBody}.${signature}`,
      // One signature character changed (in the middle: the last one carries padding bits).
      `${version}.${body}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`,
      `${version}.${body}`,
      `${payload}x!`,
    ]) {
      expect(await checkCard(forged, key), forged).toEqual({ ok: false, code: 'card-invalid' });
    }
    const other = generateKeyPairSync('ed25519').publicKey;
    const otherKey = await importCardKey(publishPublicKey(other).raw_base64);
    expect(await checkCard(payload, otherKey)).toEqual({ ok: false, code: 'card-invalid' });
    expect(await checkCard(payload, null)).toEqual({ ok: false, code: 'card-unverifiable' });
    expect(await importCardKey('not base64!')).toBeNull();
  });

  it('checks a typed card number by its check digits, in any digits and with spaces', async () => {
    const arabic = cardNumber.replace(/\d/gu, (digit) => '٠١٢٣٤٥٦٧٨٩'[Number(digit)] ?? digit);
    expect(await checkCard(`${arabic.slice(0, 4)} ${arabic.slice(4)}`, null)).toEqual({
      ok: true,
      card_number: cardNumber,
    });
    const swapped = cardNumber.slice(0, 5) + cardNumber[6] + cardNumber[5] + cardNumber.slice(7);
    expect(await checkCard(swapped, null)).toEqual({ ok: false, code: 'card-number-invalid' });
  });
});

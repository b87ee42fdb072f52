/** Ration cards on the wire. */
import { Type, type Static } from '@sinclair/typebox';
import { digitStyles } from '../../shared/digits.js';
import { StrictObject } from '../../shared/schema.js';
import { householdStatuses } from '../households/households.schema.js';

/** Most cards one sheet request renders (eight cards per A4 page). */
export const maxSheetCards = 400;

export const CardPublicKey = Type.Object({
  algorithm: Type.Literal('Ed25519'),
  payload_format: Type.String(),
  /** SubjectPublicKeyInfo PEM. */
  pem: Type.String(),
  /** The raw 32-byte public key, base64. */
  raw_base64: Type.String(),
});

export const ReissueCardBody = StrictObject({
  reason: Type.String({ minLength: 1, maxLength: 500 }),
});
export type ReissueCardInput = Static<typeof ReissueCardBody>;

export const ReissuedCard = Type.Object({
  household_id: Type.String(),
  card_number: Type.String(),
  issued_on: Type.String(),
  /** The signed QR payload of the new card. */
  payload: Type.String(),
  /** The card numbers revoked. */
  revoked: Type.Array(Type.String()),
});

export const CardSheetQuery = StrictObject({
  /** One household; otherwise the households matching the filters (as in GET /households). */
  household_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  area: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  status: Type.Optional(Type.Union(householdStatuses.map((status) => Type.Literal(status)))),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: maxSheetCards, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  digits: Type.Optional(
    Type.Union(
      digitStyles.map((style) => Type.Literal(style)),
      { description: 'Arabic-Indic (arab, the default) or Western (latn) digits on the cards' },
    ),
  ),
});
export type CardSheetInput = Static<typeof CardSheetQuery>;

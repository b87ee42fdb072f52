/**
 * /cards and a household's card: the public key offline devices verify payloads with (public),
 * the printable card sheet, and reissuing a lost card.
 */
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { CardPublicKey, CardSheetQuery, ReissueCardBody, ReissuedCard } from './cards.schema.js';
import { buildCardSheet, getCardPublicKey, reissueCard } from './cards.service.js';

/** The sheet is one document with its style inline and its QR codes as inline SVG: nothing else loads. */
const cardSheetPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export async function cardRoutes(app: AwnApp): Promise<void> {
  app.get(
    '/cards/public-key',
    {
      config: { access: 'public' },
      schema: {
        operationId: 'getCardPublicKey',
        tags: ['cards'],
        summary: 'The Ed25519 public key that verifies card QR payloads offline',
        security: [],
        response: { 200: CardPublicKey },
      },
    },
    async () => getCardPublicKey(app.awn.storage.db),
  );

  app.get(
    '/cards/sheet',
    {
      config: { access: 'cards.issue', background: true },
      schema: {
        operationId: 'printCardSheet',
        tags: ['cards'],
        summary: 'A printable A4 sheet of cards (HTML) for one household or a filtered list',
        description:
          'Same filters as GET /households; when more households match than `limit`, the `x-next-cursor` header gives the next sheet. Every household printed is audit-logged as a read.',
        querystring: CardSheetQuery,
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      const sheet = await buildCardSheet(
        app.awn.storage,
        request.actor!,
        request.query,
        app.awn.clock,
      );
      if (sheet.next_cursor !== null) reply.header('x-next-cursor', sheet.next_cursor);
      return reply
        .header('cache-control', 'no-store')
        .header('content-security-policy', cardSheetPolicy)
        .type('text/html; charset=utf-8')
        .send(sheet.html);
    },
  );

  app.post(
    '/households/:id/card/reissue',
    {
      config: { access: 'cards.issue' },
      schema: {
        operationId: 'reissueCard',
        tags: ['cards'],
        summary: 'Revoke the household’s card and issue a new number (lost or damaged card)',
        params: IdParams,
        body: ReissueCardBody,
        response: { 201: ReissuedCard },
      },
    },
    async (request, reply) => {
      const card = await reissueCard(
        app.awn.storage,
        request.actor!,
        request.params.id,
        request.body.reason,
        app.awn.clock,
      );
      return reply.code(201).send(card);
    },
  );
}

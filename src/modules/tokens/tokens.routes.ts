/** /tokens: device and integration bearer tokens (issue, list without secrets, revoke). */
import { actorOf } from '../../server/access.js';
import type { AwnApp } from '../../server/types.js';
import { IdParams } from '../../shared/schema.js';
import { CreatedToken, CreateTokenBody, TokenList, TokenListQuery } from './tokens.schema.js';
import { createToken, listTokens, revokeToken } from './tokens.service.js';

export async function tokenRoutes(app: AwnApp): Promise<void> {
  app.post(
    '/tokens',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'createToken',
        tags: ['tokens'],
        summary:
          'Issue a token (device: for yourself; integration or for another user: admin); the secret is shown once',
        body: CreateTokenBody,
        response: { 201: CreatedToken },
      },
    },
    async (request, reply) => {
      const { token, secret } = await createToken(
        app.awn.storage,
        actorOf(request),
        { kind: request.body.kind, name: request.body.name, userId: request.body.user_id },
        app.awn.clock,
      );
      return reply.code(201).send({ ...token, token: secret });
    },
  );

  app.get(
    '/tokens',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'listTokens',
        tags: ['tokens'],
        summary: 'Tokens without secrets: all for an admin, your own otherwise',
        querystring: TokenListQuery,
        response: { 200: TokenList },
      },
    },
    async (request) => ({
      items: await listTokens(app.awn.storage.db, actorOf(request), {
        userId: request.query.user_id,
      }),
    }),
  );

  app.delete(
    '/tokens/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        operationId: 'revokeToken',
        tags: ['tokens'],
        summary: 'Revoke a token',
        params: IdParams,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      await revokeToken(app.awn.storage, actorOf(request), request.params.id, app.awn.clock);
      return reply.code(204).send();
    },
  );
}

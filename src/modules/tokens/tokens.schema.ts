/** The tokens API's schemas: secrets appear only in the creation answer. */
import { Type } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';

const Kind = Type.Union([Type.Literal('device'), Type.Literal('integration')]);

export const CreateTokenBody = StrictObject({
  kind: Kind,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

const tokenFields = {
  id: Type.String(),
  kind: Kind,
  name: Type.String(),
  user_id: Type.String(),
  created_at: Type.String(),
  revoked_at: Type.Union([Type.String(), Type.Null()]),
};

export const Token = Type.Object(tokenFields);

export const CreatedToken = Type.Object({
  ...tokenFields,
  token: Type.String({ description: 'The bearer secret; shown this once and never again' }),
});

export const TokenList = Type.Object({ items: Type.Array(Token) });

export const TokenListQuery = StrictObject({
  user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});

/** Proxies on the wire: people outside a household who may collect for it. */
import { Type, type Static } from '@sinclair/typebox';
import { StrictObject } from '../../shared/schema.js';

const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Relation = Type.Union(
  [Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }), Type.Null()],
  {
    description: 'How they relate to the household (neighbour, cousin, ...).',
  },
);
const NationalId = Type.Union(
  [Type.String({ minLength: 1, maxLength: 30, pattern: '^[0-9٠-٩]+$' })],
  { description: 'Digits (Arabic-Indic digits accepted); optional.' },
);

export const CreateProxyBody = StrictObject({
  name: Name,
  relation: Type.Optional(Relation),
  national_id: Type.Optional(Type.Union([NationalId, Type.Null()])),
});
export type CreateProxyInput = Static<typeof CreateProxyBody>;

export const UpdateProxyBody = StrictObject(
  {
    name: Type.Optional(Name),
    relation: Type.Optional(Relation),
    national_id: Type.Optional(Type.Union([NationalId, Type.Null()])),
  },
  { minProperties: 1 },
);
export type UpdateProxyInput = Static<typeof UpdateProxyBody>;

export const ProxyParams = StrictObject({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  proxy_id: Type.String({ minLength: 1, maxLength: 100 }),
});

export const Proxy = Type.Object({
  id: Type.String(),
  household_id: Type.String(),
  name: Type.String(),
  relation: Type.Union([Type.String(), Type.Null()]),
  national_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});
export type ProxyView = Static<typeof Proxy>;

export const ProxyList = Type.Object({ items: Type.Array(Proxy) });

export const Collector = Type.Object({
  collector: Type.String({
    description:
      "What a hand-over's `collected_by` takes: 'head', 'member:<position>' or 'proxy:<id>'.",
  }),
  kind: Type.Union([Type.Literal('head'), Type.Literal('member'), Type.Literal('proxy')]),
  name: Type.String(),
  relation: Type.Union([Type.String(), Type.Null()]),
});
export type CollectorView = Static<typeof Collector>;

export const CollectorList = Type.Object({ items: Type.Array(Collector) });

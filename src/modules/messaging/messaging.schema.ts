/** Messages, receipts, templates, opt-outs, webhooks and the inbox on the wire. */
import { Type, type Static } from '@sinclair/typebox';
import { MultilineText, StrictObject } from '../../shared/schema.js';
import { messageChannels, messageStatuses } from '../../shared/vocabulary.js';

const Channel = Type.Union(messageChannels.map((value) => Type.Literal(value)));
const Status = Type.Union(messageStatuses.map((value) => Type.Literal(value)));
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const MessageListQuery = StrictObject({
  source_kind: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  source_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  status: Type.Optional(Status),
  channel: Type.Optional(Channel),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
export type MessageListQuery = Static<typeof MessageListQuery>;

export const Message = Type.Object({
  id: Type.String(),
  channel: Channel,
  status: Status,
  unconfirmed: Type.Boolean({
    description: 'sent, and no receipt came within the receipt window: final, unconfirmed',
  }),
  attempts: Type.Integer(),
  last_error: NullableString,
  source_kind: Type.String(),
  source_id: NullableString,
  template_code: NullableString,
  resend_of: NullableString,
  created_at: Type.String(),
  updated_at: Type.String(),
  sent_at: NullableString,
  delivered_at: NullableString,
  failed_at: NullableString,
});
export type MessageView = Static<typeof Message>;

export const MessageList = Type.Object({
  items: Type.Array(Message),
  next_cursor: NullableString,
});

export const ReceiptBody = StrictObject({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  status: Type.Union([Type.Literal('delivered'), Type.Literal('failed')]),
  at: Type.Optional(Type.String({ format: 'date-time' })),
});
export type ReceiptBody = Static<typeof ReceiptBody>;

export const ReceiptResult = Type.Object({
  applied: Type.Boolean({ description: 'false: unknown id, or the message already failed' }),
});

const SmsLength = Type.Object({
  encoding: Type.Union([Type.Literal('gsm'), Type.Literal('ucs2')]),
  characters: Type.Integer(),
  segments: Type.Integer(),
  per_segment: Type.Integer(),
});

const TemplateText = MultilineText({ minLength: 1, maxLength: 2000 });

export const TemplateBody = StrictObject({
  code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,59}$' }),
  channel: Channel,
  subject_ar: Type.Optional(Type.String({ maxLength: 200 })),
  subject_en: Type.Optional(Type.String({ maxLength: 200 })),
  body_ar: TemplateText,
  body_en: TemplateText,
});
export type TemplateBody = Static<typeof TemplateBody>;

export const Template = Type.Object({
  code: Type.String(),
  channel: Channel,
  subject_ar: NullableString,
  subject_en: NullableString,
  body_ar: Type.String(),
  body_en: Type.String(),
  sms_ar: SmsLength,
  sms_en: SmsLength,
  updated_at: Type.String(),
});
export type TemplateView = Static<typeof Template>;

export const TemplateList = Type.Object({ items: Type.Array(Template) });

export const PreviewBody = StrictObject({
  text: MultilineText({ minLength: 1, maxLength: 2000 }),
  values: Type.Optional(
    Type.Record(
      Type.String({ maxLength: 60 }),
      Type.Union([Type.String({ maxLength: 500 }), Type.Number()]),
    ),
  ),
});

export const Preview = Type.Object({
  text: Type.String(),
  missing: Type.Array(Type.String()),
  sms: SmsLength,
});

export const OptOutBody = StrictObject({
  household_id: Type.String({ minLength: 1, maxLength: 100 }),
  channel: Channel,
  opted_out: Type.Boolean(),
});

export const OptOuts = Type.Object({
  household_id: Type.String(),
  opted_out: Type.Array(Channel),
});

export const WebhookBody = StrictObject({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  url: Type.String({ pattern: '^https?://', maxLength: 2000 }),
});
export type WebhookBody = Static<typeof WebhookBody>;

export const CreatedWebhook = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  secret: Type.String({ description: 'HMAC-SHA256 key of x-awn-signature; shown only once' }),
});

export const WebhookList = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), url: Type.String() })),
});

export const InboxQuery = StrictObject({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const InboxList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      subject: NullableString,
      body: Type.String(),
      source_kind: Type.String(),
      source_id: NullableString,
      created_at: Type.String(),
      read_at: NullableString,
    }),
  ),
  next_cursor: NullableString,
});

export const InboxRead = Type.Object({ id: Type.String(), read_at: Type.String() });

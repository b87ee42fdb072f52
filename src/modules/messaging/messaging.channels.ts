/**
 * The channels' senders: each hands one message over and says what came of it as a
 * SendOutcome, never throwing. The SMS gateway contract is issue 13's (docs/sms-gateway.md).
 */
import { createHmac } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { SendOutcome } from '../../domain/messaging/outbox.js';
import type { MessagingConfig } from './messaging.config.js';
import type { MessageRecord, WebhookRecord } from './messaging.repository.js';

/** What a failed fetch was: a timeout or any network error is temporary. */
function networkFailure(error: unknown): SendOutcome {
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return { kind: 'temporary', error: 'timeout' };
  const cause = (error as { cause?: { code?: string } }).cause;
  return { kind: 'temporary', error: `network: ${cause?.code ?? 'error'}` };
}

/** 2xx is success, 429 and 5xx temporary, any other 4xx permanent. */
function httpOutcome(status: number, success: SendOutcome): SendOutcome {
  if (status >= 200 && status < 300) return success;
  if (status === 429 || status >= 500) return { kind: 'temporary', error: `http ${status}` };
  return { kind: 'permanent', error: `http ${status}` };
}

/** POSTs `{id, to, text}` to the gateway with the bearer token. */
export async function sendSms(
  message: MessageRecord,
  config: MessagingConfig,
): Promise<SendOutcome> {
  const { gateway_url: url, gateway_token: token, timeout_ms } = config.sms;
  if (!url) return { kind: 'temporary', error: 'no SMS gateway configured' };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ id: message.id, to: message.recipient, text: message.body }),
      signal: AbortSignal.timeout(timeout_ms),
    });
    // The body is not needed; reading it frees the connection for the next send.
    await response.arrayBuffer().catch(() => undefined);
    return httpOutcome(response.status, { kind: 'sent' });
  } catch (error) {
    return networkFailure(error);
  }
}

/** The signature header of a webhook body: `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** POSTs the message as JSON to the partner's endpoint, signed with its secret. */
export async function sendWebhook(
  message: MessageRecord,
  webhook: WebhookRecord | undefined,
  config: MessagingConfig,
): Promise<SendOutcome> {
  if (!webhook) return { kind: 'permanent', error: 'no such webhook' };
  const body = JSON.stringify({
    id: message.id,
    subject: message.subject,
    body: message.body,
    language: message.language,
    source_kind: message.source_kind,
    source_id: message.source_id,
    created_at: message.created_at,
  });
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-awn-message-id': message.id,
        'x-awn-signature': webhookSignature(webhook.secret, body),
      },
      body,
      signal: AbortSignal.timeout(config.webhook_timeout_ms),
    });
    await response.arrayBuffer().catch(() => undefined);
    return httpOutcome(response.status, { kind: 'delivered' });
  } catch (error) {
    return networkFailure(error);
  }
}

/** One pooled SMTP transport per URL, kept for the process. */
const transports = new Map<string, Transporter>();

export function closeMailTransports(): void {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}

/** Hands the e-mail to the SMTP server; its Message-ID is the message id, so a repeat is known. */
export async function sendEmail(
  message: MessageRecord,
  config: MessagingConfig,
): Promise<SendOutcome> {
  const url = config.email.smtp_url;
  if (!url) return { kind: 'temporary', error: 'no SMTP server configured' };
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(
      url.includes('?') ? `${url}&pool=true` : `${url}?pool=true`,
    );
    transports.set(url, transport);
  }
  try {
    await transport.sendMail({
      from: config.email.from,
      to: message.recipient,
      subject: message.subject ?? '',
      text: message.body,
      messageId: `<${message.id}@awn>`,
    });
    return { kind: 'sent' };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    if (typeof code === 'number' && code >= 500)
      return { kind: 'permanent', error: `smtp ${code}` };
    if (typeof code === 'number') return { kind: 'temporary', error: `smtp ${code}` };
    return { kind: 'temporary', error: `smtp: ${(error as { code?: string }).code ?? 'error'}` };
  }
}

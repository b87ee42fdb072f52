/** The outbox's settings (read by src/modules/messaging/messaging.config.ts). */
import type { RetryPolicy } from '../domain/messaging/outbox.js';
import type { MessageChannel } from './vocabulary.js';

export interface MessagingConfig {
  /** AWN_PUBLIC_URL: the server's address as recipients reach it (personal links in SMS). */
  public_url: string;
  sms: {
    /** AWN_SMS_GATEWAY_URL: where SMS are POSTed; null: SMS stay queued (none configured). */
    gateway_url: string | null;
    /** AWN_SMS_GATEWAY_TOKEN: the bearer token both ways (sends and receipts). */
    gateway_token: string | null;
    /** AWN_SMS_GATEWAY_TIMEOUT_MS (default 10 s): no answer by then is a temporary failure. */
    timeout_ms: number;
  };
  email: {
    /** AWN_SMTP_URL, e.g. smtp://user:pass@mail.example.org:587; null: e-mail stays queued. */
    smtp_url: string | null;
    /** AWN_MAIL_FROM. */
    from: string;
  };
  /** AWN_WEBHOOK_TIMEOUT_MS (default 10 s). */
  webhook_timeout_ms: number;
  retry: RetryPolicy;
  /** AWN_MESSAGE_RECEIPT_WAIT_MS (default 1 day): a `sent` message with no receipt by then is final. */
  receipt_wait_ms: number;
  /** AWN_<CHANNEL>_RATE_PER_S: messages a second a process sends on each channel. */
  rate_per_s: Record<MessageChannel, number>;
  /** Sends in flight at once in a process (AWN_MESSAGE_CONCURRENCY, default 64). */
  concurrency: number;
}

/** The messaging settings, from the environment once at start (tests pass their own). */
import type { MessagingConfig } from '../../shared/messaging-config.js';

export type { MessagingConfig } from '../../shared/messaging-config.js';

function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, minimum = 1): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < minimum) {
    throw new Error(`${name} must be a number of at least ${minimum}, not "${raw}"`);
  }
  return value;
}

/** Reads the settings; a malformed number stops the start with the variable's name. */
export function messagingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  return {
    public_url: (env.AWN_PUBLIC_URL?.trim() || 'http://localhost:3000').replace(/\/+$/u, ''),
    sms: {
      gateway_url: env.AWN_SMS_GATEWAY_URL?.trim() || null,
      gateway_token: env.AWN_SMS_GATEWAY_TOKEN?.trim() || null,
      timeout_ms: numberFrom(env, 'AWN_SMS_GATEWAY_TIMEOUT_MS', 10_000),
    },
    email: {
      smtp_url: env.AWN_SMTP_URL?.trim() || null,
      from: env.AWN_MAIL_FROM?.trim() || 'awn@localhost',
    },
    webhook_timeout_ms: numberFrom(env, 'AWN_WEBHOOK_TIMEOUT_MS', 10_000),
    retry: {
      base_ms: numberFrom(env, 'AWN_MESSAGE_RETRY_BASE_MS', 30_000),
      maximum_ms: numberFrom(env, 'AWN_MESSAGE_RETRY_MAX_MS', 3_600_000),
      max_attempts: numberFrom(env, 'AWN_MESSAGE_MAX_ATTEMPTS', 8),
    },
    receipt_wait_ms: numberFrom(env, 'AWN_MESSAGE_RECEIPT_WAIT_MS', 86_400_000),
    rate_per_s: {
      sms: numberFrom(env, 'AWN_SMS_RATE_PER_S', 50),
      email: numberFrom(env, 'AWN_EMAIL_RATE_PER_S', 10),
      webhook: numberFrom(env, 'AWN_WEBHOOK_RATE_PER_S', 50),
      inbox: numberFrom(env, 'AWN_INBOX_RATE_PER_S', 10_000),
    },
    concurrency: numberFrom(env, 'AWN_MESSAGE_CONCURRENCY', 64),
  };
}

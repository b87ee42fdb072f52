/**
 * The outbox's state machine, without I/O: what a send's outcome or a receipt does to a
 * message. queued -> sent -> delivered | failed; a temporary failure stays queued with a later
 * attempt (exponential backoff with jitter) until the attempts run out.
 */
import type { MessageStatus } from '../../shared/vocabulary.js';

/** What one attempt to hand a message to its channel came to. */
export type SendOutcome =
  /** The channel took it; a receipt may follow (SMS, e-mail). */
  | { kind: 'sent' }
  /** The channel confirmed it reached the recipient (webhook 2xx, inbox). */
  | { kind: 'delivered' }
  /** Worth trying again: 429, 5xx, a timeout, a refused connection. */
  | { kind: 'temporary'; error: string }
  /** Never worth trying again: a 4xx other than 429, an invalid address, an opt-out. */
  | { kind: 'permanent'; error: string };

export interface RetryPolicy {
  base_ms: number;
  maximum_ms: number;
  max_attempts: number;
}

/**
 * The wait before attempt `attempts + 1` after `attempts` failed ones: base x 2^(attempts-1),
 * at most the maximum, then a random half to the whole of it ("equal jitter"), so that
 * messages failed together do not come back together. `random` is in [0, 1).
 */
export function backoff_ms(attempts: number, policy: RetryPolicy, random: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 40);
  const ceiling = Math.min(policy.base_ms * 2 ** exponent, policy.maximum_ms);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export interface MessageState {
  status: MessageStatus;
  attempts: number;
}

export interface MessagePatch {
  status: MessageStatus;
  attempts: number;
  last_error: string | null;
  /** Set for a retry; null when nothing is left to send. */
  retry_at_ms: number | null;
  sent: boolean;
  delivered: boolean;
  failed: boolean;
}

/**
 * The message after an attempt. A receipt may have made it `delivered` or `failed` while the
 * attempt was under way: that state stands, the attempt is only counted.
 */
export function afterAttempt(
  state: MessageState,
  outcome: SendOutcome,
  policy: RetryPolicy,
  now_ms: number,
  random: number,
): MessagePatch {
  const attempts = state.attempts + 1;
  const settled: MessagePatch = {
    status: state.status,
    attempts,
    last_error: null,
    retry_at_ms: null,
    sent: false,
    delivered: false,
    failed: false,
  };
  if (state.status === 'delivered' || state.status === 'failed') return settled;
  switch (outcome.kind) {
    case 'sent':
      return { ...settled, status: 'sent', sent: true };
    case 'delivered':
      return { ...settled, status: 'delivered', sent: true, delivered: true };
    case 'permanent':
      return { ...settled, status: 'failed', last_error: outcome.error, failed: true };
    case 'temporary':
      if (attempts >= policy.max_attempts) {
        return { ...settled, status: 'failed', last_error: outcome.error, failed: true };
      }
      return {
        ...settled,
        status: 'queued',
        last_error: outcome.error,
        retry_at_ms: now_ms + backoff_ms(attempts, policy, random),
      };
  }
}

/**
 * Whether a receipt applies: always, except to a message already final as `failed`
 * (an early receipt, before the sender recorded `sent`, applies too).
 */
export function receiptApplies(status: MessageStatus): boolean {
  return status !== 'failed';
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterAttempt, backoff_ms, receiptApplies, type RetryPolicy } from './outbox.js';
import { placeholdersOf, renderTemplate } from './text.js';

const policy: RetryPolicy = { base_ms: 30_000, maximum_ms: 3_600_000, max_attempts: 8 };

describe('backoff', () => {
  it('doubles from the base up to the maximum, jittered within its upper half', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempts, random) => {
          const ceiling = Math.min(30_000 * 2 ** (attempts - 1), 3_600_000);
          const wait = backoff_ms(attempts, policy, random);
          return wait >= ceiling / 2 - 1 && wait <= ceiling + 1;
        },
      ),
    );
    expect(backoff_ms(1, policy, 0)).toBe(15_000);
    expect(backoff_ms(2, policy, 0.999999)).toBeCloseTo(60_000, -1);
  });
});

describe('after an attempt', () => {
  const queued = { status: 'queued' as const, attempts: 0 };

  it('retries temporary failures until the attempts run out, never permanent ones', () => {
    const retry = afterAttempt(queued, { kind: 'temporary', error: 'http 500' }, policy, 0, 0.5);
    expect(retry).toMatchObject({ status: 'queued', attempts: 1, last_error: 'http 500' });
    expect(retry.retry_at_ms).toBeGreaterThan(0);
    const last = afterAttempt(
      { status: 'queued', attempts: 7 },
      { kind: 'temporary', error: 'timeout' },
      policy,
      0,
      0.5,
    );
    expect(last).toMatchObject({ status: 'failed', attempts: 8, retry_at_ms: null, failed: true });
    expect(
      afterAttempt(queued, { kind: 'permanent', error: 'http 400' }, policy, 0, 0.5),
    ).toMatchObject({
      status: 'failed',
      retry_at_ms: null,
    });
  });

  it('keeps a state a receipt set while the attempt was under way', () => {
    for (const status of ['delivered', 'failed'] as const) {
      for (const kind of ['sent', 'temporary', 'permanent'] as const) {
        const outcome = kind === 'sent' ? { kind } : { kind, error: 'x' };
        expect(afterAttempt({ status, attempts: 0 }, outcome, policy, 0, 0.5)).toMatchObject({
          status,
          attempts: 1,
          retry_at_ms: null,
        });
      }
    }
    expect(receiptApplies('queued')).toBe(true);
    expect(receiptApplies('sent')).toBe(true);
    expect(receiptApplies('failed')).toBe(false);
  });
});

describe('templates', () => {
  it('fills placeholders and names the missing ones', () => {
    expect(placeholdersOf('{{a}} {{ b }} {{a}}')).toEqual(['a', 'b']);
    expect(renderTemplate('مرحبا {{name}}', { name: 'سعاد' })).toEqual({
      ok: true,
      text: 'مرحبا سعاد',
    });
    expect(renderTemplate('{{x}} {{y}}', { x: 1 })).toEqual({ ok: false, missing: ['y'] });
  });
});

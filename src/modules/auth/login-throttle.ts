/**
 * Password guessing limits, for sign-in and for the current-password check of a password
 * change. The policy (README, "Sign-in limits"):
 * - an attempt is counted BEFORE its password is checked, in one write transaction that
 *   first reads the counts (serialized per key on PostgreSQL, by the write lock on SQLite),
 *   so parallel guesses cannot all pass on a stale count, and every process serving one
 *   database shares the counts;
 * - an address (an IPv6 address by its /64) gets at most `perAddress` failed attempts in the
 *   window, on any accounts, then 429 `rate-limited` until the oldest leaves the window;
 * - an account is slowed, never locked: past `perAccount` failures in the window, an address
 *   that has itself failed in the window must wait 1 s, 2 s, 4 s ... (at most
 *   `maximumDelay_ms`) after the account's latest failure; an address without failures (a
 *   clean one) is not slowed, so nobody can keep the owner out with wrong passwords;
 * - at most `concurrentPerAccount` checks per account and `concurrentPerAddress` per address
 *   run at once in a process (429 `rate-limited` at once beyond).
 * A successful check deletes its own attempt and the account's failures. Failures are rows
 * under the SHA-256 of the key, never the username or address itself; rows older than the
 * window are purged (`purge`, run by `awn serve` every minute).
 */
import { randomUUID } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Storage } from '../../db/connect.js';
import { writeTransaction, type Executor } from '../../db/transaction.js';
import type { SignInLimits } from '../../server/types.js';
import { RateLimitedError } from '../../shared/errors.js';
import {
  countRecentLoginFailures,
  deleteLoginFailures,
  findRecentLoginFailures,
  insertLoginFailures,
  lockLoginKeys,
} from './auth.repository.js';
import { hashSecret } from './secret.js';

/** The limits (declared with the app's context, which carries them). */
export type ThrottleLimits = SignInLimits;

export const defaultThrottleLimits: ThrottleLimits = {
  perAddress: 20,
  perAccount: 5,
  maximumDelay_ms: 60 * 1000,
  window_ms: 15 * 60 * 1000,
  concurrentPerAccount: 2,
  concurrentPerAddress: 4,
};

/** The part of an address that one client controls: IPv4 whole, IPv6 by its /64 prefix. */
export function addressScope(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const accountKey = (username: string) => hashSecret(`u:${username}`);
const addressKey = (address: string) => hashSecret(`a:${addressScope(address)}`);

/** One counted attempt: `succeeded` uncounts it, `release` ends its concurrency hold. */
export interface Attempt {
  readonly id: string;
  readonly accountKey: string;
  readonly addressKey: string;
  release(): void;
}

export class LoginThrottle {
  private readonly inFlight = new Map<string, number>();

  constructor(readonly limits: ThrottleLimits = defaultThrottleLimits) {}

  /**
   * Counts an attempt on the account from the address as a failure, before its password is
   * checked, or throws RateLimitedError (nothing counted). Call `release` when the check ends.
   */
  async begin(
    storage: Pick<Storage, 'db' | 'dialect'>,
    username: string,
    address: string,
    now: Date,
  ): Promise<Attempt> {
    const keys = { account: accountKey(username), address: addressKey(address) };
    const release = this.hold(keys.account, keys.address);
    try {
      const id = randomUUID();
      await writeTransaction(storage, async (trx) => {
        await lockLoginKeys(trx, [keys.account, keys.address]);
        const wait_ms = await this.wait(trx, keys, now);
        if (wait_ms > 0) throw new RateLimitedError(Math.max(1, Math.ceil(wait_ms / 1000)));
        await insertLoginFailures(trx, [keys.account, keys.address], now.toISOString(), id);
      });
      return { id, accountKey: keys.account, addressKey: keys.address, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** In the caller's transaction: the password was right; uncount it and the account's failures. */
  async succeeded(trx: Executor, attempt: Attempt): Promise<void> {
    await deleteLoginFailures(trx, { keyHash: attempt.accountKey });
    await deleteLoginFailures(trx, { keyHash: attempt.addressKey, attemptId: attempt.id });
  }

  /** Deletes the failures that have left the window; answers how many. */
  async purge(trx: Executor, now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.limits.window_ms).toISOString();
    return deleteLoginFailures(trx, { beforeIso: before });
  }

  /** Milliseconds before an attempt is allowed, or 0 when one is allowed now. */
  private async wait(
    trx: Executor,
    keys: { account: string; address: string },
    now: Date,
  ): Promise<number> {
    const { perAddress, perAccount, window_ms, maximumDelay_ms } = this.limits;
    const since = new Date(now.getTime() - window_ms).toISOString();
    const byAddress = await findRecentLoginFailures(trx, keys.address, since, perAddress);
    if (byAddress.length >= perAddress) {
      // Allowed again when the oldest failure that keeps the count at the limit leaves the window.
      return Date.parse(byAddress[perAddress - 1] as string) + window_ms - now.getTime();
    }
    if (byAddress.length === 0) return 0; // a clean address is never slowed
    const account = await countRecentLoginFailures(trx, keys.account, since);
    if (account.count < perAccount || account.latest === null) return 0;
    const delay_ms = Math.min(maximumDelay_ms, 1000 * 2 ** (account.count - perAccount));
    return Date.parse(account.latest) + delay_ms - now.getTime();
  }

  /** Takes a concurrency hold on both keys, or throws RateLimitedError when either is full. */
  private hold(account: string, address: string): () => void {
    const { concurrentPerAccount, concurrentPerAddress } = this.limits;
    if (
      (this.inFlight.get(account) ?? 0) >= concurrentPerAccount ||
      (this.inFlight.get(address) ?? 0) >= concurrentPerAddress
    ) {
      throw new RateLimitedError(1);
    }
    const change = (key: string, by: number) => {
      const count = (this.inFlight.get(key) ?? 0) + by;
      if (count === 0) this.inFlight.delete(key);
      else this.inFlight.set(key, count);
    };
    change(account, 1);
    change(address, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      change(account, -1);
      change(address, -1);
    };
  }
}

/**
 * Failed sign-in counting: at most `perUsername` failures per username and `perAddress` per
 * client address within a sliding window. Failures are rows in the database (under the
 * SHA-256 of the key, never the username or address itself), so every process serving one
 * database counts the same attempts. A successful sign-in clears the username's count; rows
 * older than the window are purged (`purge`, run by `awn serve` every minute).
 */
import type { Executor } from '../../db/transaction.js';
import {
  deleteLoginFailures,
  findRecentLoginFailures,
  insertLoginFailures,
} from './auth.repository.js';
import { hashSecret } from './secret.js';

export interface ThrottleLimits {
  perUsername: number;
  perAddress: number;
  window_ms: number;
}

export const defaultThrottleLimits: ThrottleLimits = {
  perUsername: 5,
  perAddress: 20,
  window_ms: 15 * 60 * 1000,
};

const usernameKey = (username: string) => hashSecret(`u:${username}`);
const addressKey = (address: string) => hashSecret(`a:${address}`);

export class LoginThrottle {
  constructor(private readonly limits: ThrottleLimits = defaultThrottleLimits) {}

  /** Seconds to wait before another attempt is allowed, or 0 when one is allowed now. */
  async retryAfterSeconds(
    db: Executor,
    username: string,
    address: string,
    now: Date,
  ): Promise<number> {
    const waits = [
      await this.wait(db, usernameKey(username), this.limits.perUsername, now),
      await this.wait(db, addressKey(address), this.limits.perAddress, now),
    ];
    return Math.max(...waits);
  }

  async recordFailure(trx: Executor, username: string, address: string, now: Date) {
    await insertLoginFailures(trx, [usernameKey(username), addressKey(address)], now.toISOString());
  }

  async recordSuccess(trx: Executor, username: string): Promise<void> {
    await deleteLoginFailures(trx, { keyHash: usernameKey(username) });
  }

  /** Deletes the failures that have left the window; answers how many. */
  async purge(trx: Executor, now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.limits.window_ms).toISOString();
    return deleteLoginFailures(trx, { beforeIso: before });
  }

  private async wait(db: Executor, key: string, limit: number, now: Date): Promise<number> {
    const since = new Date(now.getTime() - this.limits.window_ms).toISOString();
    const recent = await findRecentLoginFailures(db, key, since, limit);
    if (recent.length < limit) return 0;
    // Allowed again when the oldest failure that keeps the count at the limit leaves the window.
    const oldest = Date.parse(recent[limit - 1] as string);
    return Math.max(1, Math.ceil((oldest + this.limits.window_ms - now.getTime()) / 1000));
  }
}

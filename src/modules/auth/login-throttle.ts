/**
 * Failed sign-in counting, in memory for this process: at most `perUsername` failures per
 * username and `perAddress` per client address within a sliding window. Several processes
 * each keep their own counts (a documented limit: an attacker spreading over N processes
 * gets N times the attempts). A successful sign-in clears the username's count.
 */
export interface ThrottleLimits {
  perUsername: number;
  perAddress: number;
  window_ms: number;
  /** Keys remembered at most; the oldest are forgotten first, so memory stays bounded. */
  maxKeys: number;
}

export const defaultThrottleLimits: ThrottleLimits = {
  perUsername: 5,
  perAddress: 20,
  window_ms: 15 * 60 * 1000,
  maxKeys: 100_000,
};

export class LoginThrottle {
  /** Failure times (ms) per key, oldest first; Map keeps insertion order for eviction. */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: ThrottleLimits = defaultThrottleLimits) {}

  /** Seconds to wait before another attempt is allowed, or 0 when one is allowed now. */
  retryAfterSeconds(username: string, address: string, now_ms: number): number {
    const waits = [
      this.wait(`u:${username}`, this.limits.perUsername, now_ms),
      this.wait(`a:${address}`, this.limits.perAddress, now_ms),
    ];
    return Math.max(...waits);
  }

  recordFailure(username: string, address: string, now_ms: number): void {
    this.push(`u:${username}`, this.limits.perUsername, now_ms);
    this.push(`a:${address}`, this.limits.perAddress, now_ms);
  }

  recordSuccess(username: string): void {
    this.failures.delete(`u:${username}`);
  }

  private recent(key: string, now_ms: number): number[] {
    const times = this.failures.get(key);
    if (!times) return [];
    const recent = times.filter((time) => now_ms - time < this.limits.window_ms);
    if (recent.length === 0) this.failures.delete(key);
    else if (recent.length !== times.length) this.failures.set(key, recent);
    return recent;
  }

  private wait(key: string, limit: number, now_ms: number): number {
    const recent = this.recent(key, now_ms);
    if (recent.length < limit) return 0;
    // Allowed again when the oldest failure that keeps the count at the limit leaves the window.
    const oldest = recent[recent.length - limit] ?? now_ms;
    return Math.max(1, Math.ceil((oldest + this.limits.window_ms - now_ms) / 1000));
  }

  private push(key: string, limit: number, now_ms: number): void {
    const recent = this.recent(key, now_ms);
    recent.push(now_ms);
    // Only the newest `limit` failures matter for the decision.
    this.failures.delete(key);
    this.failures.set(key, recent.slice(-limit));
    while (this.failures.size > this.limits.maxKeys) {
      const oldestKey = this.failures.keys().next().value;
      if (oldestKey === undefined) break;
      this.failures.delete(oldestKey);
    }
  }
}

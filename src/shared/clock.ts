/** Time comes from an injected clock so tests can drive timeouts and expiry. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function nowIso(clock: Clock): string {
  return clock().toISOString();
}

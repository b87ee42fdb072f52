import { describe, expect, it } from 'vitest';
import { backgroundTurn, foregroundEnded, foregroundStarted } from './pacing.js';

describe('background turns', () => {
  it('wait while a request is being answered, and go on when none is', async () => {
    foregroundStarted();
    let resumed = false;
    const turn = backgroundTurn(5_000).then(() => {
      resumed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(resumed).toBe(false);
    foregroundEnded();
    await turn;
    expect(resumed).toBe(true);
  });

  it('go on after twice the last slice under constant load, keeping a third of the time', async () => {
    foregroundStarted();
    const started = performance.now();
    await backgroundTurn(30);
    const waited = performance.now() - started;
    foregroundEnded();
    expect(waited).toBeGreaterThanOrEqual(55);
    expect(waited).toBeLessThan(1_000);
  });

  it('only yield once when nothing is being answered', async () => {
    const started = performance.now();
    for (let turn = 0; turn < 100; turn += 1) await backgroundTurn(5_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

/** `awn cycle open|close ID` with a progress bar, and `awn redeem` for a counter without a browser. */
import { randomUUID } from 'node:crypto';
import { SingleBar } from 'cli-progress';
import type { Storage } from '../db/connect.js';
import { systemActor } from '../domain/actor.js';
import { toAsciiDigits } from '../domain/text/arabic.js';
import { closeCycle, openCycle, type CycleProgress } from '../modules/cycles/cycles.service.js';
import { redeem } from '../modules/redemptions/redemptions.service.js';
import { systemClock } from '../shared/clock.js';

function progressBar(): { update: (progress: CycleProgress) => void; stop: () => void } {
  const bar = new SingleBar({ format: '{phase} [{bar}] {value}/{total}', hideCursor: true });
  let started = false;
  return {
    update: ({ phase, done, total }) => {
      if (!started) bar.start(total, done, { phase });
      started = true;
      bar.setTotal(total);
      bar.update(done, { phase });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

export async function cycleCommand(
  storage: Storage,
  action: 'open' | 'close',
  cycleId: string,
): Promise<number> {
  const bar = progressBar();
  try {
    const run = action === 'open' ? openCycle : closeCycle;
    const result = await run(storage, systemActor, cycleId, systemClock, bar.update);
    bar.stop();
    console.log(
      `Cycle ${result.id} is ${result.status}; ${result.households_processed} households processed.`,
    );
    return 0;
  } finally {
    bar.stop();
  }
}

/** Parses `commodity=quantity`, accepting Arabic-Indic digits. */
export function parseItem(text: string): { commodity: string; quantity: number } {
  const match = /^([a-z0-9_-]+)=(\d+)$/i.exec(toAsciiDigits(text.trim()));
  if (!match?.[1] || !match[2])
    throw new Error(`--item ${text}: write it as commodity=quantity, e.g. sugar=1000`);
  return { commodity: match[1], quantity: Number(match[2]) };
}

export async function redeemCommand(
  storage: Storage,
  options: { card: string; servicePoint: string; item: string[]; id?: string },
): Promise<number> {
  const { redemption, created } = await redeem(
    storage,
    systemActor,
    {
      id: options.id ?? randomUUID(),
      card: options.card,
      service_point_id: options.servicePoint,
      items: options.item.map(parseItem),
    },
    systemClock,
  );
  console.log(`${created ? 'Redeemed' : 'Already redeemed'} (${redemption.id}). Remaining:`);
  for (const left of redemption.remaining)
    console.log(`  ${left.commodity}: ${left.remaining} (cycle ${left.cycle_id})`);
  return 0;
}

/**
 * Clarke and Wright's parallel savings: start with one route per customer and merge route ends
 * joined by the largest saving d(0,i) + d(0,j) - d(i,j) that keeps every dimension within the
 * largest vehicle's capacity. Deterministic; savings are considered between granular
 * neighbours only, which keeps it near-linear on large instances.
 */
import type { Instance } from './instance.js';

/** Routes per slot; when there are more routes than slots, the smallest ones are appended to others. */
export function savingsRoutes(instance: Instance): Int32Array[] {
  const { n, dist, dims, demand, capacity, slots, neighbours, granular } = instance;
  const limit = new Float64Array(dims).fill(0);
  for (let r = 0; r < slots; r++) {
    for (let d = 0; d < dims; d++) limit[d] = Math.max(limit[d]!, capacity[r * dims + d]!);
  }
  const pairs: { i: number; j: number; saving: number }[] = [];
  for (let i = 1; i < n; i++) {
    for (let k = 0; k < granular; k++) {
      const j = neighbours[i * granular + k]!;
      const isMutual = (() => {
        for (let m = 0; m < granular; m++) if (neighbours[j * granular + m] === i) return true;
        return false;
      })();
      if (isMutual && j < i) continue; // listed from the other side already
      pairs.push({ i, j, saving: dist[i]! + dist[j]! - dist[i * n + j]! });
    }
  }
  pairs.sort((a, b) => b.saving - a.saving || a.i - b.i || a.j - b.j);

  const routeOf = new Int32Array(n);
  const sequences: (number[] | null)[] = [null];
  const loads: Float64Array[] = [new Float64Array(dims)];
  for (let i = 1; i < n; i++) {
    routeOf[i] = i;
    sequences.push([i]);
    loads.push(demand.slice(i * dims, (i + 1) * dims));
  }
  for (const { i, j, saving } of pairs) {
    if (saving <= 0) break;
    const a = routeOf[i]!;
    const b = routeOf[j]!;
    if (a === b) continue;
    const first = sequences[a]!;
    const second = sequences[b]!;
    const iAtEnd = first[first.length - 1] === i;
    const iAtStart = first[0] === i;
    const jAtEnd = second[second.length - 1] === j;
    const jAtStart = second[0] === j;
    if (!(iAtEnd || iAtStart) || !(jAtEnd || jAtStart)) continue;
    let fits = true;
    for (let d = 0; d < dims; d++) if (loads[a]![d]! + loads[b]![d]! > limit[d]!) fits = false;
    if (!fits) continue;
    // Orient so that i ends the first sequence and j starts the second.
    if (!iAtEnd) first.reverse();
    if (!jAtStart) second.reverse();
    for (const customer of second) {
      first.push(customer);
      routeOf[customer] = a;
    }
    for (let d = 0; d < dims; d++) loads[a]![d] = loads[a]![d]! + loads[b]![d]!;
    sequences[b] = null;
  }

  const built = sequences
    .map((sequence, index) => ({ sequence, share: shareOf(instance, loads[index]!) }))
    .filter((entry): entry is { sequence: number[]; share: number } => entry.sequence !== null)
    .sort((a, b) => b.share - a.share);
  // The largest loads go to the largest vehicles.
  const slotOrder = Array.from({ length: slots }, (_, r) => r).sort(
    (a, b) => shareOfSlot(instance, b) - shareOfSlot(instance, a) || a - b,
  );
  const routes: number[][] = Array.from({ length: slots }, () => []);
  built.forEach((entry, index) => {
    const slot = slotOrder[index < slots ? index : slots - 1 - (index % slots)]!;
    routes[slot]!.push(...entry.sequence);
  });
  return routes.map((route) => Int32Array.from(route));
}

function shareOf(instance: Instance, load: Float64Array): number {
  let share = 0;
  for (let d = 0; d < instance.dims; d++) share += load[d]! * instance.weight[d]!;
  return share;
}

function shareOfSlot(instance: Instance, slot: number): number {
  return shareOf(
    instance,
    instance.capacity.subarray(slot * instance.dims, (slot + 1) * instance.dims),
  );
}

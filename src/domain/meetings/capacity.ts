/** A venue's capacity under a distancing rule. */

/**
 * The smaller of the seats and the floor area divided by the square metres each person needs
 * (rounded down: a part of a person is no seat).
 */
export function distancedCapacity(
  seats: number,
  floor_area_m2: number,
  m2_per_person: number,
): number {
  if (!(m2_per_person > 0)) throw new RangeError('m2_per_person must be positive');
  // A tiny tolerance so that 100 / 2.5 = 40 is not 39.999... rounded down.
  return Math.max(0, Math.min(seats, Math.floor(floor_area_m2 / m2_per_person + 1e-9)));
}

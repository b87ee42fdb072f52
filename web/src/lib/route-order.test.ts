import { describe, expect, it } from 'vitest';
import { orderStops } from './route-order';

describe('orderStops (the routing Web Worker’s work)', () => {
  const depot = { latitude: 35.5, longitude: 35.8 };
  // Points on a ring around the depot, listed in a scrambled order.
  const ring = Array.from({ length: 12 }, (_, k) => ({
    latitude: 35.5 + 0.01 * Math.sin((2 * Math.PI * k) / 12),
    longitude: 35.8 + 0.01 * Math.cos((2 * Math.PI * k) / 12),
  }));
  const scrambled = [0, 6, 3, 9, 1, 7, 4, 10, 2, 8, 5, 11].map((k) => ring[k]!);

  it('visits every point once and goes round the ring, shorter than the order given', () => {
    const answer = orderStops({ id: 1, depot, points: scrambled, iterationLimit: 200 });
    if (!answer.ok) throw new Error(answer.message);
    expect([...answer.order].sort((a, b) => a - b)).toEqual(scrambled.map((_, i) => i));
    const given = orderStops({ id: 2, depot, points: scrambled, iterationLimit: 0 });
    expect(given.ok).toBe(true);
    // Around a ring of radius ~1 km: two spokes plus eleven chords of ~520 m, times 1.3.
    expect(answer.length_metres).toBeLessThan(1.3 * (2 * 1120 + 11 * 600));
    expect(answer).toEqual(orderStops({ id: 1, depot, points: scrambled, iterationLimit: 200 }));
  });

  it('answers an empty run, and an error as a value', () => {
    expect(orderStops({ id: 3, depot, points: [] })).toEqual({
      id: 3,
      ok: true,
      order: [],
      length_metres: 0,
    });
    expect(orderStops({ id: 4, depot, points: ring, detourFactor: 0.5 })).toMatchObject({
      id: 4,
      ok: false,
    });
  });
});

// A lot label's QR code opens the lot; a typed id works as well.
import { describe, expect, it } from 'vitest';
import { lotIdOf } from './Warehouse';

describe('lotIdOf', () => {
  it('reads the lot id from a label payload or from typed text', () => {
    expect(lotIdOf('awn-lot:0b6f1c1e-1f5b-4d7a-9c1e-2f3a4b5c6d7e')).toBe(
      '0b6f1c1e-1f5b-4d7a-9c1e-2f3a4b5c6d7e',
    );
    expect(lotIdOf('  abc  ')).toBe('abc');
  });
});

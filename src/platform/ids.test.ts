import { describe, expect, it } from 'vitest';
import { hasIdPrefix, newId } from './ids.ts';

describe('newId', () => {
  it('is the kind prefix and 96 random bits in lowercase hex', () => {
    const id = newId('cliente');
    expect(id).toMatch(/^cli_[0-9a-f]{24}$/);
    expect(hasIdPrefix(id, 'cliente')).toBe(true);
    expect(hasIdPrefix(id, 'grupo')).toBe(false);
  });

  it('never hands out the same bytes twice, across many refills of the random pool', () => {
    const ids = Array.from({ length: 5_000 }, () => newId('request'));
    expect(new Set(ids).size).toBe(ids.length);
    // Every slice is 12 fresh bytes: no id repeats another's random part either.
    expect(new Set(ids.map((id) => id.slice(4))).size).toBe(ids.length);
  });
});

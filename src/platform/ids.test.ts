import { describe, expect, it } from 'vitest';
import { hasIdPrefix, newId, newTimeOrderedId } from './ids.ts';

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

describe('newTimeOrderedId', () => {
  it('has the shape of every id, and sorts in the order minted, also within one millisecond', () => {
    const ids = Array.from({ length: 1_000 }, () => newTimeOrderedId('auditEvent', 1_796_262_492_917));
    for (const id of ids) expect(id).toMatch(/^aud_[0-9a-f]{24}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]!.slice(4, 16)).toBe((1_796_262_492_917).toString(16).padStart(12, '0'));
  });

  it('never goes back when the clock does', () => {
    const later = newTimeOrderedId('auditEvent', 1_796_262_500_000);
    const earlierClock = newTimeOrderedId('auditEvent', 1_796_262_400_000);
    expect(earlierClock > later).toBe(true);
  });
});

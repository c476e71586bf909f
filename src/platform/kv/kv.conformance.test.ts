import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kvKinds, openTestKv, redisUrl } from '../../../test/support/infrastructure.ts';
import type { KeyValueStore } from './kv.ts';

/**
 * One suite for every twin of the `KeyValueStore` port: what passes here on memory must pass on
 * Redis, so a node can swap one for the other. Expiry uses short real TTLs; sleeps are always
 * comfortably longer than the TTL they wait out, and nothing asserts how long a call took.
 */
const SHORT_TTL = 100;
const PAST_SHORT_TTL = 200;
const LONG_TTL = 60_000;

let keySeq = 0;
const newKey = (name: string) => `${name}:${++keySeq}`;

describe.each(kvKinds())('KeyValueStore conformance (%s)', (kind) => {
  let kv: KeyValueStore;
  beforeAll(() => {
    kv = openTestKv(kind);
  });
  afterAll(async () => {
    await kv.close();
  });

  describe('get / set', () => {
    it('returns null for a key never set, and the value once set', async () => {
      const key = newKey('get');
      expect(await kv.get(key)).toBeNull();
      await kv.set(key, 'valor', LONG_TTL);
      expect(await kv.get(key)).toBe('valor');
    });

    it('forgets the value after its TTL', async () => {
      const key = newKey('expire');
      await kv.set(key, 'valor', SHORT_TTL);
      expect(await kv.get(key)).toBe('valor');
      await sleep(PAST_SHORT_TTL);
      expect(await kv.get(key)).toBeNull();
      expect(await kv.ttlMs(key)).toBeNull();
    });

    it('replaces both the value and a long TTL with a short one', async () => {
      const key = newKey('replace-short');
      await kv.set(key, 'antigo', LONG_TTL);
      await kv.set(key, 'novo', SHORT_TTL);
      expect(await kv.get(key)).toBe('novo');
      expect(await kv.ttlMs(key)).toBeLessThanOrEqual(SHORT_TTL);
      await sleep(PAST_SHORT_TTL);
      expect(await kv.get(key)).toBeNull();
    });

    it('replaces a short TTL with a long one', async () => {
      const key = newKey('replace-long');
      await kv.set(key, 'antigo', SHORT_TTL);
      await kv.set(key, 'novo', LONG_TTL);
      await sleep(PAST_SHORT_TTL);
      expect(await kv.get(key)).toBe('novo');
    });
  });

  describe('setIfAbsent', () => {
    it('stores only for the first caller', async () => {
      const key = newKey('nx');
      expect(await kv.setIfAbsent(key, 'primeiro', LONG_TTL)).toBe(true);
      expect(await kv.setIfAbsent(key, 'segundo', LONG_TTL)).toBe(false);
      expect(await kv.get(key)).toBe('primeiro');
    });

    it('lets exactly one of many concurrent callers win', async () => {
      const key = newKey('nx-race');
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => kv.setIfAbsent(key, `v${i}`, LONG_TTL)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await kv.get(key)).toBe(`v${results.indexOf(true)}`);
    });

    it('stores again once the previous value expired', async () => {
      const key = newKey('nx-expire');
      expect(await kv.setIfAbsent(key, 'primeiro', SHORT_TTL)).toBe(true);
      await sleep(PAST_SHORT_TTL);
      expect(await kv.setIfAbsent(key, 'segundo', LONG_TTL)).toBe(true);
      expect(await kv.get(key)).toBe('segundo');
    });
  });

  describe('getAndDelete', () => {
    it('returns the value once and removes the key', async () => {
      const key = newKey('getdel');
      await kv.set(key, 'uma-vez', LONG_TTL);
      expect(await kv.getAndDelete(key)).toBe('uma-vez');
      expect(await kv.get(key)).toBeNull();
      expect(await kv.getAndDelete(key)).toBeNull();
    });

    it('returns null for an absent or expired key', async () => {
      expect(await kv.getAndDelete(newKey('getdel-absent'))).toBeNull();
      const key = newKey('getdel-expired');
      await kv.set(key, 'velho', SHORT_TTL);
      await sleep(PAST_SHORT_TTL);
      expect(await kv.getAndDelete(key)).toBeNull();
    });

    it('hands the value to exactly one of 50 concurrent consumers', async () => {
      const key = newKey('getdel-race');
      await kv.set(key, 'codigo', LONG_TTL);
      const results = await Promise.all(Array.from({ length: 50 }, () => kv.getAndDelete(key)));
      expect(results.filter((r) => r !== null)).toEqual(['codigo']);
      expect(await kv.get(key)).toBeNull();
    });
  });

  describe('delete', () => {
    it('removes the key and tolerates an absent one', async () => {
      const key = newKey('del');
      await kv.set(key, 'valor', LONG_TTL);
      await kv.delete(key);
      expect(await kv.get(key)).toBeNull();
      expect(await kv.ttlMs(key)).toBeNull();
      await expect(kv.delete(key)).resolves.toBeUndefined();
    });

    it('removes only the named key', async () => {
      const gone = newKey('del-a');
      const kept = newKey('del-b');
      await kv.set(gone, 'a', LONG_TTL);
      await kv.set(kept, 'b', LONG_TTL);
      await kv.delete(gone);
      expect(await kv.get(kept)).toBe('b');
    });
  });

  describe('increment', () => {
    it('counts 1, 2, 3 and the count is readable with get', async () => {
      const key = newKey('incr');
      expect(await kv.increment(key, LONG_TTL)).toBe(1);
      expect(await kv.increment(key, LONG_TTL)).toBe(2);
      expect(await kv.increment(key, LONG_TTL)).toBe(3);
      expect(await kv.get(key)).toBe('3');
    });

    it('keeps the TTL set at creation: later increments with a longer TTL do not extend it', async () => {
      const key = newKey('incr-fixed');
      await kv.increment(key, 1_000);
      await kv.increment(key, LONG_TTL);
      await kv.increment(key, LONG_TTL);
      const remaining = await kv.ttlMs(key);
      expect(remaining).not.toBeNull();
      expect(remaining).toBeLessThanOrEqual(1_000);
    });

    it('is a fixed window: increments inside it do not keep it alive, and it restarts at 1', async () => {
      const key = newKey('incr-window');
      const ttl = 300;
      expect(await kv.increment(key, ttl)).toBe(1);
      await sleep(150);
      // A sliding window would now live until ~450 ms; a fixed one ends at 300 ms.
      expect(await kv.increment(key, ttl)).toBe(2);
      await sleep(200);
      expect(await kv.get(key)).toBeNull();
      expect(await kv.increment(key, ttl)).toBe(1);
    });

    it('loses no update under 100 concurrent increments', async () => {
      const key = newKey('incr-race');
      const results = await Promise.all(Array.from({ length: 100 }, () => kv.increment(key, LONG_TTL)));
      expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(await kv.get(key)).toBe('100');
      expect(await kv.ttlMs(key)).toBeLessThanOrEqual(LONG_TTL);
    });
  });

  describe('ttlMs', () => {
    it('is null for an absent key', async () => {
      expect(await kv.ttlMs(newKey('ttl-absent'))).toBeNull();
    });

    it('is positive and at most the TTL for a live key', async () => {
      const key = newKey('ttl');
      await kv.set(key, 'valor', 5_000);
      const remaining = await kv.ttlMs(key);
      expect(remaining).toBeGreaterThan(0);
      expect(remaining).toBeLessThanOrEqual(5_000);
    });
  });

  describe('acquireLock', () => {
    it('is exclusive until released, and can be taken again after release', async () => {
      const key = newKey('lock');
      const first = await kv.acquireLock(key, LONG_TTL);
      expect(first).not.toBeNull();
      expect(await kv.acquireLock(key, LONG_TTL)).toBeNull();
      expect(await first!.release()).toBe(true);
      const second = await kv.acquireLock(key, LONG_TTL);
      expect(second).not.toBeNull();
      expect(await second!.release()).toBe(true);
    });

    it('lets exactly one of many concurrent callers take it', async () => {
      const key = newKey('lock-race');
      const locks = await Promise.all(Array.from({ length: 20 }, () => kv.acquireLock(key, LONG_TTL)));
      expect(locks.filter((l) => l !== null)).toHaveLength(1);
    });

    it('reports false for a second release', async () => {
      const lock = await kv.acquireLock(newKey('lock-twice'), LONG_TTL);
      expect(await lock!.release()).toBe(true);
      expect(await lock!.release()).toBe(false);
    });

    it('expires by itself', async () => {
      const key = newKey('lock-expire');
      expect(await kv.acquireLock(key, SHORT_TTL)).not.toBeNull();
      await sleep(PAST_SHORT_TTL);
      expect(await kv.acquireLock(key, LONG_TTL)).not.toBeNull();
    });

    it('lives on while its holder extends it, and only for its holder', async () => {
      const key = newKey('lock-extend');
      const lock = await kv.acquireLock(key, SHORT_TTL);
      expect(lock).not.toBeNull();
      expect(await lock!.extend(LONG_TTL)).toBe(true);
      await sleep(PAST_SHORT_TTL);
      expect(await kv.acquireLock(key, LONG_TTL)).toBeNull();
      expect(await lock!.release()).toBe(true);
      expect(await lock!.extend(LONG_TTL)).toBe(false);
      expect(await kv.get(key)).toBeNull();
    });

    it('does not let an expired holder extend the lock a new holder took', async () => {
      const key = newKey('lock-extend-stale');
      const stale = await kv.acquireLock(key, SHORT_TTL);
      await sleep(PAST_SHORT_TTL);
      const current = await kv.acquireLock(key, SHORT_TTL);
      expect(current).not.toBeNull();
      expect(await stale!.extend(LONG_TTL)).toBe(false);
      await sleep(PAST_SHORT_TTL);
      expect(await kv.acquireLock(key, LONG_TTL)).not.toBeNull();
    });

    it('does not let an expired holder release the lock a new holder took', async () => {
      const key = newKey('lock-stale');
      const stale = await kv.acquireLock(key, SHORT_TTL);
      expect(stale).not.toBeNull();
      await sleep(PAST_SHORT_TTL);
      const current = await kv.acquireLock(key, LONG_TTL);
      expect(current).not.toBeNull();

      expect(await stale!.release()).toBe(false);
      // The new holder's lock is still in force.
      expect(await kv.acquireLock(key, LONG_TTL)).toBeNull();
      expect(await current!.release()).toBe(true);
    });
  });

  describe('TTL validation', () => {
    it.each([0, -1, 1.5])('rejects ttlMs = %s on every method that takes one, and writes nothing', async (ttl) => {
      const key = newKey('bad-ttl');
      await expect(kv.set(key, 'v', ttl)).rejects.toBeInstanceOf(RangeError);
      await expect(kv.setIfAbsent(key, 'v', ttl)).rejects.toBeInstanceOf(RangeError);
      await expect(kv.increment(key, ttl)).rejects.toBeInstanceOf(RangeError);
      await expect(kv.acquireLock(key, ttl)).rejects.toBeInstanceOf(RangeError);
      expect(await kv.get(key)).toBeNull();
    });
  });
});

describe('KeyValueStore shared between nodes (Redis)', () => {
  it.skipIf(!redisUrl)('two stores with the same prefix see each other\'s keys and locks, and no one else\'s', async () => {
    const prefix = `ponte-test:${randomBytes(6).toString('hex')}:`;
    const nodeA = openTestKv('redis', prefix);
    const nodeB = openTestKv('redis', prefix);
    const stranger = openTestKv('redis');
    try {
      await nodeA.set('sessao', 'de-a', LONG_TTL);
      expect(await nodeB.get('sessao')).toBe('de-a');
      expect(await stranger.get('sessao')).toBeNull();

      expect(await nodeA.increment('contador', LONG_TTL)).toBe(1);
      expect(await nodeB.increment('contador', LONG_TTL)).toBe(2);

      expect(await nodeB.getAndDelete('sessao')).toBe('de-a');
      expect(await nodeA.get('sessao')).toBeNull();

      const lock = await nodeA.acquireLock('tarefa', LONG_TTL);
      expect(lock).not.toBeNull();
      expect(await nodeB.acquireLock('tarefa', LONG_TTL)).toBeNull();
      expect(await stranger.acquireLock('tarefa', LONG_TTL)).not.toBeNull();
      expect(await lock!.release()).toBe(true);
      const lockB = await nodeB.acquireLock('tarefa', LONG_TTL);
      expect(lockB).not.toBeNull();
      await lockB!.release();
      await nodeA.delete('contador');
    } finally {
      await Promise.all([nodeA.close(), nodeB.close(), stranger.close()]);
    }
  });
});

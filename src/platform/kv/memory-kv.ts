import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import { assertTtl, type KeyValueStore, type KvLock } from './kv.ts';

type Entry = { value: string; expiresAt: number };

/**
 * The in-process twin of the Redis store, for a single embedded node. JavaScript runs one
 * callback at a time, so each method is atomic by construction. Expired entries are dropped
 * lazily on access and by a periodic sweep so the map cannot grow without bound.
 */
export function createMemoryKv(options: { clock?: Clock; sweepIntervalMs?: number } = {}): KeyValueStore {
  const clock = options.clock ?? systemClock;
  const entries = new Map<string, Entry>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= clock.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const sweep = setInterval(() => {
    const now = clock.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }, options.sweepIntervalMs ?? 60_000);
  sweep.unref();

  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, ttlMs) {
      assertTtl(ttlMs);
      entries.set(key, { value, expiresAt: clock.now() + ttlMs });
    },
    async setIfAbsent(key, value, ttlMs) {
      assertTtl(ttlMs);
      if (live(key)) return false;
      entries.set(key, { value, expiresAt: clock.now() + ttlMs });
      return true;
    },
    async getAndDelete(key) {
      const entry = live(key);
      entries.delete(key);
      return entry?.value ?? null;
    },
    async delete(key) {
      entries.delete(key);
    },
    async increment(key, ttlMs) {
      assertTtl(ttlMs);
      const entry = live(key);
      const count = entry ? Number(entry.value) + 1 : 1;
      entries.set(key, { value: String(count), expiresAt: entry?.expiresAt ?? clock.now() + ttlMs });
      return count;
    },
    async ttlMs(key) {
      const entry = live(key);
      return entry ? entry.expiresAt - clock.now() : null;
    },
    async acquireLock(key, ttlMs): Promise<KvLock | null> {
      assertTtl(ttlMs);
      if (live(key)) return null;
      const owner = randomUUID();
      entries.set(key, { value: owner, expiresAt: clock.now() + ttlMs });
      return {
        async release() {
          if (live(key)?.value !== owner) return false;
          entries.delete(key);
          return true;
        },
        async extend(newTtlMs) {
          assertTtl(newTtlMs);
          const entry = live(key);
          if (entry?.value !== owner) return false;
          entry.expiresAt = clock.now() + newTtlMs;
          return true;
        },
      };
    },
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}

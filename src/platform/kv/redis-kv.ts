import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { assertTtl, type KeyValueStore, type KvLock } from './kv.ts';

// Fixed-window counter: the TTL is set only by the increment that creates the key.
const INCREMENT_WITH_TTL = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

// Release only the lock we hold: compare the owner token and delete in one step.
const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** The Redis twin: shared by every Ponte node pointed at the same `REDIS_URL`. */
export function createRedisKv(options: { url: string; keyPrefix?: string }): KeyValueStore {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? 'ponte:',
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
  redis.defineCommand('ponteIncrementWithTtl', { numberOfKeys: 1, lua: INCREMENT_WITH_TTL });
  redis.defineCommand('ponteReleaseIfOwner', { numberOfKeys: 1, lua: RELEASE_IF_OWNER });
  const scripts = redis as unknown as {
    ponteIncrementWithTtl(key: string, ttlMs: number): Promise<number>;
    ponteReleaseIfOwner(key: string, owner: string): Promise<number>;
  };

  return {
    async get(key) {
      return redis.get(key);
    },
    async set(key, value, ttlMs) {
      assertTtl(ttlMs);
      await redis.set(key, value, 'PX', ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      assertTtl(ttlMs);
      return (await redis.set(key, value, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async getAndDelete(key) {
      return redis.getdel(key);
    },
    async delete(key) {
      await redis.del(key);
    },
    async increment(key, ttlMs) {
      assertTtl(ttlMs);
      return Number(await scripts.ponteIncrementWithTtl(key, ttlMs));
    },
    async ttlMs(key) {
      const remaining = await redis.pttl(key);
      return remaining < 0 ? null : remaining;
    },
    async acquireLock(key, ttlMs): Promise<KvLock | null> {
      assertTtl(ttlMs);
      const owner = randomUUID();
      if ((await redis.set(key, owner, 'PX', ttlMs, 'NX')) !== 'OK') return null;
      return {
        async release() {
          return (await scripts.ponteReleaseIfOwner(key, owner)) === 1;
        },
      };
    },
    async close() {
      await redis.quit();
    },
  };
}

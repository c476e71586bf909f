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

// Extend only the lock we hold.
const EXTEND_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export type RedisKvOptions = {
  url: string;
  keyPrefix?: string;
  /** Longest a command may wait for its answer (queued while reconnecting included). */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Connection errors; ioredis reconnects by itself, so these are reported, never thrown. */
  onConnectionError?: (error: Error) => void;
};

/**
 * The Redis twin: shared by every Ponte node pointed at the same `REDIS_URL`. Every command has a
 * timeout, so a frozen or unreachable Redis fails a call instead of hanging it; ioredis keeps
 * reconnecting with a capped backoff for as long as the process lives.
 */
export function createRedisKv(options: RedisKvOptions): KeyValueStore {
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix ?? 'ponte:',
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Without a listener ioredis prints every connection error as "Unhandled error event".
  redis.on('error', (error: Error) => options.onConnectionError?.(error));
  redis.defineCommand('ponteIncrementWithTtl', { numberOfKeys: 1, lua: INCREMENT_WITH_TTL });
  redis.defineCommand('ponteReleaseIfOwner', { numberOfKeys: 1, lua: RELEASE_IF_OWNER });
  redis.defineCommand('ponteExtendIfOwner', { numberOfKeys: 1, lua: EXTEND_IF_OWNER });
  const scripts = redis as unknown as {
    ponteIncrementWithTtl(key: string, ttlMs: number): Promise<number>;
    ponteReleaseIfOwner(key: string, owner: string): Promise<number>;
    ponteExtendIfOwner(key: string, owner: string, ttlMs: number): Promise<number>;
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
        async extend(newTtlMs) {
          assertTtl(newTtlMs);
          return (await scripts.ponteExtendIfOwner(key, owner, newTtlMs)) === 1;
        },
      };
    },
    async close() {
      // QUIT waits for an answer a dead or frozen Redis never gives: then just drop the socket.
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

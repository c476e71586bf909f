import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateServicesAvailable, startPrivateRedis, type PrivateRedis } from '../../../test/support/private-services.ts';
import { createLogger } from '../logger.ts';
import { createDegradingKv } from './degrading-kv.ts';
import type { KeyValueStore } from './kv.ts';
import { createRedisKv } from './redis-kv.ts';

/**
 * The degrading store over a real Redis of its own (never the machine's shared one), stopped,
 * frozen and started again: calls keep answering from this node's memory while it is gone, and go
 * back to Redis once it answers.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.skipIf(!privateServicesAvailable())('degrading key-value store over a private Redis', () => {
  let redis: PrivateRedis;
  let primary: KeyValueStore;
  let kv: ReturnType<typeof createDegradingKv>;
  const fallbacks: string[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    // Timeouts with room for a loaded CI machine: the first test asserts that nothing fell back.
    primary = createRedisKv({ url: redis.url, keyPrefix: 'degrading:', commandTimeoutMs: 1_000, connectTimeoutMs: 2_000 });
    await primary.set('conectado', 'sim', 60_000); // the connection is up before the store is judged
    kv = createDegradingKv({ primary, logger: createLogger({ logLevel: 'silent', nodeEnv: 'test' }), cooldownMs: 200, onFallback: (op) => fallbacks.push(op) });
  });
  afterAll(async () => {
    await kv?.close();
    await primary?.close();
    await redis?.dispose();
  });

  it('uses Redis while it answers', async () => {
    await kv.set('chave', 'compartilhada', 60_000);
    expect(await redis.command(['EXISTS', 'degrading:chave'])).toBe(':1');
    expect(kv.degraded()).toBe(false);
    expect(fallbacks).toEqual([]);
  });

  it('Redis stopped: counters and locks keep working on this node, each fallback counted', async () => {
    await redis.stop();
    expect(await kv.increment('contador', 60_000)).toBe(1);
    expect(await kv.increment('contador', 60_000)).toBe(2);
    const lock = await kv.acquireLock('trava', 60_000);
    expect(lock).not.toBeNull();
    expect(await kv.acquireLock('trava', 60_000)).toBeNull();
    expect(await lock!.release()).toBe(true);
    expect(kv.degraded()).toBe(true);
    expect(fallbacks).toEqual(expect.arrayContaining(['increment', 'acquireLock']));
  });

  it('Redis back: calls go to it again without a restart', async () => {
    await redis.start();
    await until('the store to use Redis again', async () => {
      await kv.set('de-volta', 'sim', 60_000);
      return (await redis.command(['EXISTS', 'degrading:de-volta'])) === ':1';
    });
    expect(kv.degraded()).toBe(false);
  });

  it('Redis frozen: a call costs at most the command timeout, then the cooldown skips Redis', async () => {
    await redis.freeze();
    try {
      expect(await kv.increment('congelado', 60_000)).toBe(1);
      expect(kv.degraded()).toBe(true);
      expect(await kv.increment('congelado', 60_000)).toBe(2);
    } finally {
      await redis.thaw();
    }
  });
});

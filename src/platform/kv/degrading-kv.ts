import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import { systemClock } from '../clock.ts';
import type { KeyValueStore, KvLock } from './kv.ts';
import { createMemoryKv } from './memory-kv.ts';

type Operation = Exclude<keyof KeyValueStore, 'close'>;

/**
 * The shared store with a way down: every operation goes to `primary` (Redis) and, when that fails
 * or times out, to an in-process twin instead — counters, locks and short-lived keys then hold per
 * node until the primary answers again (docs/ESPECIFICACAO.md §8 "degrade, don't fail"). After a failure the primary
 * is left alone for `cooldownMs`, so a frozen Redis costs one command timeout per window, not one
 * per call. Entering and leaving degraded mode is logged once each; every fallback is counted.
 */
export function createDegradingKv(deps: {
  primary: KeyValueStore;
  logger: Logger;
  onFallback?: (operation: Operation) => void;
  cooldownMs?: number;
  clock?: Clock;
}): KeyValueStore & { degraded(): boolean } {
  const clock = deps.clock ?? systemClock;
  const cooldownMs = deps.cooldownMs ?? 2_000;
  const local = createMemoryKv({ clock });
  let degradedUntil = 0;
  let degraded = false;

  async function run<T>(operation: Operation, onPrimary: () => Promise<T>, onLocal: () => Promise<T>): Promise<T> {
    if (clock.now() < degradedUntil) {
      deps.onFallback?.(operation);
      return onLocal();
    }
    try {
      const result = await onPrimary();
      if (degraded) {
        degraded = false;
        deps.logger.info('armazenamento chave-valor de volta: limites e caches voltam a ser compartilhados entre os nós');
      }
      return result;
    } catch (err) {
      degradedUntil = clock.now() + cooldownMs;
      if (!degraded) {
        degraded = true;
        deps.logger.warn({ err }, 'armazenamento chave-valor indisponível: usando contadores e travas locais deste nó até ele voltar');
      }
      deps.onFallback?.(operation);
      return onLocal();
    }
  }

  /** A lock released where it was taken; a release or heartbeat that fails only means it expires by its TTL. */
  const safeLock = (lock: KvLock | null): KvLock | null =>
    lock && {
      release: () => lock.release().catch(() => false),
      extend: (ttlMs) => lock.extend(ttlMs).catch(() => false),
    };

  return {
    degraded: () => degraded,
    get: (key) => run('get', () => deps.primary.get(key), () => local.get(key)),
    set: (key, value, ttlMs) => run('set', () => deps.primary.set(key, value, ttlMs), () => local.set(key, value, ttlMs)),
    setIfAbsent: (key, value, ttlMs) => run('setIfAbsent', () => deps.primary.setIfAbsent(key, value, ttlMs), () => local.setIfAbsent(key, value, ttlMs)),
    getAndDelete: (key) => run('getAndDelete', () => deps.primary.getAndDelete(key), () => local.getAndDelete(key)),
    delete: (key) => run('delete', () => deps.primary.delete(key), () => local.delete(key)),
    increment: (key, ttlMs) => run('increment', () => deps.primary.increment(key, ttlMs), () => local.increment(key, ttlMs)),
    ttlMs: (key) => run('ttlMs', () => deps.primary.ttlMs(key), () => local.ttlMs(key)),
    acquireLock: (key, ttlMs) =>
      run(
        'acquireLock',
        async () => safeLock(await deps.primary.acquireLock(key, ttlMs)),
        async () => safeLock(await local.acquireLock(key, ttlMs)),
      ),
    /** Closes the local twin only: whoever opened the primary closes it. */
    async close() {
      await local.close();
    },
  };
}

/**
 * What Ponte nodes share: short-lived keys, counters and locks. Two twins implement it with the
 * same semantics — `memory-kv.ts` for one embedded node and `redis-kv.ts` for several nodes — and
 * one conformance suite (`kv.conformance.ts`) runs against both.
 *
 * Every TTL is in milliseconds and must be a positive integer.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  /** Stores `value`, replacing any previous one and its TTL. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores only if the key is absent; returns whether it stored. Atomic. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Returns the value and removes the key in one atomic step (consume-once). */
  getAndDelete(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;
  /**
   * Adds 1 and returns the new count. The TTL is set when the counter is created and not
   * extended by later increments, so the window is fixed. Atomic.
   */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Remaining lifetime in ms, or null when the key is absent. */
  ttlMs(key: string): Promise<number | null>;
  /**
   * Takes an exclusive lock for at most `ttlMs`, or returns null when someone else holds it.
   * Only the holder's `release` removes it; an expired lock may be taken by another caller.
   */
  acquireLock(key: string, ttlMs: number): Promise<KvLock | null>;
  close(): Promise<void>;
}

export interface KvLock {
  /** Returns false when the lock had already expired (and maybe been taken by someone else). */
  release(): Promise<boolean>;
  /**
   * Resets the lock's lifetime to `ttlMs` from now, if it is still ours (a heartbeat: a short TTL
   * kept alive while the holder works, so a holder that dies frees the lock quickly). Atomic.
   */
  extend(ttlMs: number): Promise<boolean>;
}

export function assertTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
}

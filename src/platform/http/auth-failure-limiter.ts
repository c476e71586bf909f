import { AppError } from '../errors.ts';
import type { KeyValueStore } from '../kv/kv.ts';

/**
 * Per-IP count of failed authentication, shared by every node through the key-value store, in
 * fixed windows of `windowSeconds`.
 *
 * - The painel login asks `assertNotBlocked` first: after `maxFailures` failures the IP gets 429
 *   until the window ends, whatever it presents.
 * - `/clientes` never refuses a valid credential for its IP's failures (client-auth.service.ts): it
 *   only reads what `recordFailure` returns, to tell an IP past its limit to wait.
 */
export function createAuthFailureLimiter(deps: { kv: KeyValueStore; maxFailures: number; windowSeconds: number }) {
  const keyOf = (scope: string, ip: string) => `authfail:${scope}:${ip}`;
  const retryAfterOf = async (key: string) => {
    const remainingMs = (await deps.kv.ttlMs(key)) ?? deps.windowSeconds * 1000;
    return Math.max(1, Math.ceil(remainingMs / 1000));
  };
  return {
    async assertNotBlocked(scope: string, ip: string): Promise<void> {
      const key = keyOf(scope, ip);
      const failures = Number((await deps.kv.get(key)) ?? 0);
      if (failures < deps.maxFailures) return;
      throw new AppError('RATE_LIMITED', 'Muitas tentativas de autenticação malsucedidas a partir deste endereço. Aguarde e tente novamente.', {
        retryAfterSeconds: await retryAfterOf(key),
      });
    },
    /**
     * Counts one failure of `ip`. Returns the seconds left in its window once this failure is past
     * `maxFailures` (the IP is over its limit), else undefined.
     */
    async recordFailure(scope: string, ip: string): Promise<number | undefined> {
      const key = keyOf(scope, ip);
      const failures = await deps.kv.increment(key, deps.windowSeconds * 1000);
      return failures > deps.maxFailures ? retryAfterOf(key) : undefined;
    },
  };
}

export type AuthFailureLimiter = ReturnType<typeof createAuthFailureLimiter>;

/**
 * Fixed-window attempt limits shared by every node (app login and recovery: per identifier and
 * per IP). Each `consume` counts one attempt under every key and refuses, with the time left,
 * once any of them passes its maximum.
 */
export function createAttemptLimiter(kv: KeyValueStore) {
  return {
    async consume(limits: { key: string; max: number; windowSeconds: number }[], message: string): Promise<void> {
      for (const limit of limits) {
        const count = await kv.increment(`tentativas:${limit.key}`, limit.windowSeconds * 1000);
        if (count > limit.max) {
          const remainingMs = (await kv.ttlMs(`tentativas:${limit.key}`)) ?? limit.windowSeconds * 1000;
          throw new AppError('RATE_LIMITED', message, { retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) });
        }
      }
    },
  };
}

export type AttemptLimiter = ReturnType<typeof createAttemptLimiter>;

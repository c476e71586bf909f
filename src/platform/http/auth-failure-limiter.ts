import { AppError } from '../errors.ts';
import type { KeyValueStore } from '../kv/kv.ts';

/**
 * Per-IP limit on failed authentication, shared by every node through the key-value store:
 * after `maxFailures` failures inside a fixed window the IP gets 429 until the window ends,
 * whatever credential it presents next.
 */
export function createAuthFailureLimiter(deps: { kv: KeyValueStore; maxFailures: number; windowSeconds: number }) {
  const keyOf = (scope: string, ip: string) => `authfail:${scope}:${ip}`;
  return {
    async assertNotBlocked(scope: string, ip: string): Promise<void> {
      const key = keyOf(scope, ip);
      const failures = Number((await deps.kv.get(key)) ?? 0);
      if (failures < deps.maxFailures) return;
      const remainingMs = (await deps.kv.ttlMs(key)) ?? deps.windowSeconds * 1000;
      throw new AppError('RATE_LIMITED', 'Muitas tentativas de autenticação malsucedidas a partir deste endereço. Aguarde e tente novamente.', {
        retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)),
      });
    },
    async recordFailure(scope: string, ip: string): Promise<void> {
      await deps.kv.increment(keyOf(scope, ip), deps.windowSeconds * 1000);
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

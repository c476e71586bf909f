import { sha256Hex } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { KeyValueStore } from '../../platform/kv/kv.ts';

export const loginBackoffPolicy = {
  /** Wrong passwords a pair (e-mail, IP) may send before it has to wait. */
  freeFailures: 5,
  /** The first wait; each further failure doubles it… */
  firstWaitSeconds: 30,
  /** …up to this. */
  maxWaitSeconds: 15 * 60,
  /** Failures are forgotten this long after the first one of a series. */
  windowSeconds: 60 * 60,
} as const;

/**
 * Painel login backoff per (e-mail, IP) pair, shared by every node through the key-value store.
 *
 * Keyed by the pair, never by the account alone: someone failing from their address makes only
 * that address wait for that e-mail, so nobody can keep another person's account locked, and the
 * owner logging in from elsewhere is never refused. Keyed by the e-mail as typed (normalized),
 * whether or not an account has it, so the answers — 401 while failing, then 429 with
 * `Retry-After` — are the same for unknown and known e-mails. The e-mail is hashed into the key:
 * the store never holds it.
 */
export function createLoginBackoff(kv: KeyValueStore) {
  const pairOf = (email: string, ip: string) => sha256Hex(`painel-login:${email}:${ip}`);
  const failuresKey = (pair: string) => `painel-login:falhas:${pair}`;
  const waitKey = (pair: string) => `painel-login:espera:${pair}`;

  return {
    /** 429 RATE_LIMITED, with the seconds left, while the pair must wait. */
    async assertMayTry(email: string, ip: string): Promise<void> {
      const remainingMs = await kv.ttlMs(waitKey(pairOf(email, ip)));
      if (remainingMs === null) return;
      throw new AppError('RATE_LIMITED', 'Muitas tentativas de entrar com este e-mail a partir deste endereço. Aguarde o tempo indicado e tente de novo, ou use "Esqueci minha senha".', {
        retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)),
      });
    },

    /** Counts a failure; from the `freeFailures`-th on, the pair waits 30 s, 60 s, 120 s… up to 15 min. */
    async recordFailure(email: string, ip: string): Promise<void> {
      const pair = pairOf(email, ip);
      const failures = await kv.increment(failuresKey(pair), loginBackoffPolicy.windowSeconds * 1000);
      if (failures < loginBackoffPolicy.freeFailures) return;
      const doublings = Math.min(failures - loginBackoffPolicy.freeFailures, 20);
      const waitSeconds = Math.min(loginBackoffPolicy.firstWaitSeconds * 2 ** doublings, loginBackoffPolicy.maxWaitSeconds);
      await kv.set(waitKey(pair), '1', waitSeconds * 1000);
    },

    /** A successful login starts the pair's count over. */
    async clear(email: string, ip: string): Promise<void> {
      const pair = pairOf(email, ip);
      await kv.delete(failuresKey(pair));
      await kv.delete(waitKey(pair));
    },
  };
}

export type LoginBackoff = ReturnType<typeof createLoginBackoff>;

import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import type { SecretBox } from '../../platform/crypto.ts';
import { createLocalInvalidation, type Invalidation } from '../../platform/invalidation.ts';
import type { KeyValueStore, KvLock } from '../../platform/kv/kv.ts';
import type { Violation } from '../contracts/validator.ts';
import type { OperatorCaller } from '../operator-call/operator-call.ts';
import { createGrupoSenhas } from './grupo-senha.ts';
import type { Grupo, GruposRepo } from './grupos.repo.ts';

export type AuthPair = { chave: string; token: string };

/** What the cache holds for a grupo, sealed with the master key wherever it is stored. */
type CachedPairs = { pairs: AuthPair[]; fetchedAt: number; refreshAt: number; expiresAt: number; fingerprint: string };

export type PairsResult = { ok: true; pairs: AuthPair[]; fingerprint: string } | { ok: false; error: string };

export const grupoCachePolicy = {
  /** Refresh once this share of the pairs' lifetime has passed, plus up to `jitterShare` more. */
  refreshAtShare: 0.75,
  jitterShare: 0.1,
  /**
   * After a failed refresh nobody tries again for this long (negative cache); forced refreshes
   * (the operator refused the pairs) are also at most one per grupo per window, across nodes.
   */
  negativeTtlMs: 15_000,
  /** Timeout of the `/autorizacao` call. */
  autorizacaoTimeoutMs: 10_000,
  /**
   * The cross-node refresh lock lives this long unless its holder extends it (every
   * `lockHeartbeatMs`), so a holder that dies frees it within this time and a waiter takes over.
   */
  lockTtlMs: 3_000,
  lockHeartbeatMs: 1_000,
  /** A caller waits for another node's refresh at most this long: the call's timeout plus a margin. */
  waitForOtherNodeMs: 10_000 + 5_000,
  pollEveryMs: 25,
} as const;

/**
 * How long a node may use its copy of a grupo row before reading it again: a safety net, since
 * every change to a grupo (painel edit or removal) publishes `grupo` and every node drops it at once.
 */
const GRUPO_ROW_TTL_MS = 5_000;

const keys = {
  pairs: (id: string) => `grupo:${id}:pares`,
  lock: (id: string) => `grupo:${id}:renovando`,
  failure: (id: string) => `grupo:${id}:falha`,
  forced: (id: string) => `grupo:${id}:renovacao-forcada`,
};

function fingerprintOf(pairs: AuthPair[]): string {
  return createHash('sha256').update(JSON.stringify(pairs)).digest('base64url').slice(0, 16);
}

/** JWT `exp` of the earliest-expiring pair whose token is a JWT (with or without a scheme prefix). */
function earliestJwtExpiryMs(pairs: AuthPair[]): number | undefined {
  let earliest: number | undefined;
  for (const { token } of pairs) {
    const candidate = token.split(' ').pop() ?? '';
    if (candidate.split('.').length !== 3) continue;
    try {
      const { exp } = decodeJwt(candidate);
      if (typeof exp === 'number') earliest = Math.min(earliest ?? Infinity, exp * 1000);
    } catch {
      // Not a JWT after all: the grupo's TTL applies.
    }
  }
  return earliest;
}

/** `staleFingerprint`: the operator just refused these pairs. `manual`: "Renovar agora" in the painel. */
type RefreshOptions = { staleFingerprint?: string; manual?: boolean };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The grupo de autorização cache of docs/ESPECIFICACAO.md §7: pairs are fetched once and shared by every node
 * through the key-value store, refreshed ahead of expiry with jitter (JWT `exp`, else the grupo's
 * TTL), one refresh at a time per grupo across all nodes (a KV lock, plus single-flight within the
 * node), valid pairs kept when a refresh fails, and a short negative cache after a failure.
 */
export function createGrupoPairsCache(deps: {
  /** The shared store; `degraded()` says it is answering from this node's memory (Redis down). */
  kv: KeyValueStore & { degraded?(): boolean };
  secretBox: SecretBox;
  repo: GruposRepo;
  callOperator: OperatorCaller;
  clock: Clock;
  logger: Logger;
  /** Tells every node a grupo changed, so none keeps serving its old pairs from memory. */
  invalidation?: Invalidation;
  /** Jitter source; `Math.random` in production. */
  random?: () => number;
}) {
  const random = deps.random ?? Math.random;
  const inFlight = new Map<string, Promise<PairsResult>>();
  // The last pairs this node read or wrote, sealed: served while the shared store is unreachable.
  const lastGood = new Map<string, string>();
  const invalidation = deps.invalidation ?? createLocalInvalidation();
  const senhas = createGrupoSenhas({ secretBox: deps.secretBox, repo: deps.repo });
  // The grupo rows the outbound engine reads on every call; `rowsGeneration` keeps a read that was
  // in flight when a change arrived from storing what it read before the change.
  const rows = new LRUCache<string, Grupo>({ max: 5_000, ttl: GRUPO_ROW_TTL_MS, perf: deps.clock });
  const lastOpened = new LRUCache<string, { sealed: string; entry: CachedPairs }>({ max: 5_000 });
  let rowsGeneration = 0;
  invalidation.subscribe('grupo', (grupoId) => {
    rowsGeneration += 1;
    if (grupoId === undefined) {
      lastGood.clear();
      rows.clear();
      lastOpened.clear();
    } else {
      lastGood.delete(grupoId);
      rows.delete(grupoId);
      lastOpened.delete(grupoId);
    }
  });

  async function readCached(grupo: Grupo): Promise<CachedPairs | undefined> {
    let sealed = await deps.kv.get(keys.pairs(grupo.id));
    if (sealed) lastGood.set(grupo.id, sealed);
    else if (deps.kv.degraded?.()) sealed = lastGood.get(grupo.id) ?? null;
    if (!sealed) return undefined;
    // Every call reads the same sealed pairs until they are renewed: the same ciphertext opens to
    // the same pairs, so the last one opened is kept rather than decrypted again on each call.
    const opened = lastOpened.get(grupo.id);
    if (opened?.sealed === sealed) return opened.entry;
    try {
      const entry = JSON.parse(deps.secretBox.open(sealed, keys.pairs(grupo.id))) as CachedPairs;
      lastOpened.set(grupo.id, { sealed, entry });
      return entry;
    } catch {
      return undefined;
    }
  }

  async function writeCached(grupo: Grupo, entry: CachedPairs): Promise<void> {
    const ttlMs = Math.max(1, entry.expiresAt - deps.clock.now());
    const sealed = deps.secretBox.seal(JSON.stringify(entry), keys.pairs(grupo.id));
    lastGood.set(grupo.id, sealed);
    await deps.kv.set(keys.pairs(grupo.id), sealed, ttlMs);
  }

  /** Pairs live until the earliest JWT `exp` among them, else for the grupo's TTL; refresh comes earlier, with jitter. */
  function entryFor(grupo: Grupo, pairs: AuthPair[], now: number): CachedPairs {
    const lifetimeMs = Math.max(1000, (earliestJwtExpiryMs(pairs) ?? now + grupo.ttlSegundos * 1000) - now);
    const share = grupoCachePolicy.refreshAtShare + random() * grupoCachePolicy.jitterShare;
    return { pairs, fetchedAt: now, refreshAt: now + Math.floor(lifetimeMs * share), expiresAt: now + lifetimeMs, fingerprint: fingerprintOf(pairs) };
  }

  /** Calls `/autorizacao` and returns the validated pairs, or why it failed. */
  async function fetchPairs(grupo: Grupo, timeoutMs: number): Promise<{ ok: true; pairs: AuthPair[] } | { ok: false; error: string; violations: Violation[]; refusedStatus?: number }> {
    // The senha is sealed for the origin of the grupo's URL: for any other origin it does not
    // open, and the call is not made (fail closed).
    const senha = await senhas.forSending(grupo);
    if (!senha.ok) {
      deps.logger.warn({ grupoId: grupo.id }, 'grupo de autorização: a senha não abre para a origem da URL atual; chamada não feita');
      return { ok: false, error: senha.error, violations: [] };
    }
    const outcome = await deps.callOperator({
      clienteId: grupo.clienteId,
      instancia: grupo.instancia,
      method: 'autorizacao',
      url: grupo.url,
      headers: {},
      body: { usuario: grupo.usuario, senha: senha.senha },
      timeoutMs,
    });
    switch (outcome.kind) {
      case 'sucesso':
        return { ok: true, pairs: ((outcome.value as { auth: AuthPair[] }).auth).map(({ chave, token }) => ({ chave, token })) };
      case 'violacao_contrato':
        return { ok: false, error: `Resposta fora do contrato: ${outcome.violations.map((v) => v.mensagem).join(' ')}`, violations: outcome.violations };
      case 'recusado_pela_operadora':
        return { ok: false, error: `A operadora recusou (HTTP ${outcome.status})${outcome.mensagem ? `: ${outcome.mensagem}` : ''}`, violations: [], refusedStatus: outcome.status };
      default:
        return { ok: false, error: outcome.message, violations: [] };
    }
  }

  /** Fetches and stores new pairs while holding the cross-node lock. */
  async function refreshHoldingLock(grupo: Grupo, previous: CachedPairs | undefined): Promise<PairsResult> {
    const now = deps.clock.now();
    const fetched = await fetchPairs(grupo, grupoCachePolicy.autorizacaoTimeoutMs);
    if (!fetched.ok) {
      await deps.kv.set(keys.failure(grupo.id), fetched.error, grupoCachePolicy.negativeTtlMs);
      await deps.repo.recordRefresh(grupo.id, { ok: false, at: now, error: fetched.error });
      deps.logger.warn({ grupoId: grupo.id }, 'grupo de autorização: a renovação falhou');
      // Keep serving pairs that are still valid; the grupo is flagged as failing meanwhile.
      if (previous && previous.expiresAt > deps.clock.now()) return { ok: true, pairs: previous.pairs, fingerprint: previous.fingerprint };
      return { ok: false, error: fetched.error };
    }
    const entry = entryFor(grupo, fetched.pairs, now);
    await writeCached(grupo, entry);
    await deps.kv.delete(keys.failure(grupo.id));
    await deps.repo.recordRefresh(grupo.id, { ok: true, at: now });
    return { ok: true, pairs: entry.pairs, fingerprint: entry.fingerprint };
  }

  /**
   * What the store already answers for a refresh request, without calling the operator: pairs
   * that make the refresh unnecessary, or a recent failure. `staleFingerprint` names pairs the
   * operator just rejected: if the cache already holds different ones, they are used; and such a
   * forced refresh happens at most once per grupo per negative-cache window across nodes — within
   * it, the pairs in the cache (or the failure) are the answer. `manual` ("Renovar agora") skips both.
   */
  async function settled(grupo: Grupo, options: RefreshOptions): Promise<{ cached: CachedPairs | undefined; result?: PairsResult }> {
    const cached = await readCached(grupo);
    const now = deps.clock.now();
    const served = cached && cached.expiresAt > now ? ({ ok: true, pairs: cached.pairs, fingerprint: cached.fingerprint } as const) : undefined;
    if (options.manual) return { cached };
    if (served && (options.staleFingerprint !== undefined ? cached!.fingerprint !== options.staleFingerprint : now < cached!.refreshAt)) {
      return { cached, result: served };
    }
    const failure = await deps.kv.get(keys.failure(grupo.id));
    // Pairs the operator just refused are no answer, even while they last.
    if (failure !== null) return { cached, result: (options.staleFingerprint === undefined && served) || { ok: false, error: failure } };
    if (options.staleFingerprint !== undefined && served && (await deps.kv.get(keys.forced(grupo.id))) !== null) return { cached, result: served };
    return { cached };
  }

  /** Fetches under the cross-node lock, kept alive by a heartbeat while `/autorizacao` runs. */
  async function refreshWithLock(grupo: Grupo, lock: KvLock, options: RefreshOptions): Promise<PairsResult> {
    const heartbeat = setInterval(() => void lock.extend(grupoCachePolicy.lockTtlMs), grupoCachePolicy.lockHeartbeatMs);
    try {
      // Ask again under the lock: another node may have refreshed (or failed) and released the
      // lock between the read above and taking it; that must not cost a second operator call.
      const underLock = await settled(grupo, options);
      if (underLock.result) return underLock.result;
      if (options.staleFingerprint !== undefined) await deps.kv.set(keys.forced(grupo.id), '1', grupoCachePolicy.negativeTtlMs);
      return await refreshHoldingLock(grupo, options.staleFingerprint === undefined ? underLock.cached : undefined);
    } finally {
      clearInterval(heartbeat);
      await lock.release();
    }
  }

  /** Refreshes unless the store already answers or someone else is refreshing (then waits for their result). */
  async function refresh(grupo: Grupo, options: RefreshOptions): Promise<PairsResult> {
    const before = await settled(grupo, options);
    if (before.result) return before.result;
    const cached = before.cached;
    const lock = await deps.kv.acquireLock(keys.lock(grupo.id), grupoCachePolicy.lockTtlMs);
    if (lock) return refreshWithLock(grupo, lock, options);
    if (cached && cached.expiresAt > deps.clock.now() && options.staleFingerprint === undefined) {
      return { ok: true, pairs: cached.pairs, fingerprint: cached.fingerprint };
    }
    return waitForOtherNode(grupo, cached?.fingerprint, options);
  }

  /**
   * Waits for the node holding the lock to publish pairs or a failure. If the holder vanishes (its
   * lock expired without a result: the process died), this caller takes the lock over and refreshes.
   */
  async function waitForOtherNode(grupo: Grupo, oldFingerprint: string | undefined, options: RefreshOptions): Promise<PairsResult> {
    const deadline = Date.now() + grupoCachePolicy.waitForOtherNodeMs;
    while (Date.now() < deadline) {
      await sleep(grupoCachePolicy.pollEveryMs);
      const cached = await readCached(grupo);
      if (cached && cached.fingerprint !== oldFingerprint) return { ok: true, pairs: cached.pairs, fingerprint: cached.fingerprint };
      const failure = await deps.kv.get(keys.failure(grupo.id));
      if (failure !== null) return { ok: false, error: failure };
      const takeover = await deps.kv.acquireLock(keys.lock(grupo.id), grupoCachePolicy.lockTtlMs);
      if (takeover) {
        deps.logger.warn({ grupoId: grupo.id }, 'grupo de autorização: o nó que renovava sumiu; este nó assume a renovação');
        return refreshWithLock(grupo, takeover, options);
      }
    }
    return { ok: false, error: 'Tempo esgotado aguardando a renovação do grupo de autorização.' };
  }

  /** Single-flight within this node: concurrent callers for one grupo share one refresh. */
  function shared(grupo: Grupo, options: RefreshOptions): Promise<PairsResult> {
    const key = `${grupo.id}:${options.staleFingerprint ?? ''}:${options.manual ?? false}`;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = refresh(grupo, options).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  return {
    /**
     * The grupo, as the outbound engine needs it on every call: read from the database at most
     * once per `GRUPO_ROW_TTL_MS` on this node, and dropped on every node when it changes.
     * Status columns (`status`, `ultimo*`) may lag by that much; the painel reads the repository.
     */
    async grupo(id: string): Promise<Grupo | undefined> {
      const cached = rows.get(id);
      if (cached) return cached;
      const generation = rowsGeneration;
      const found = await deps.repo.findById(id);
      if (found && generation === rowsGeneration) rows.set(id, found);
      return found;
    },

    /** The pairs to send now; refreshes ahead of expiry in the background. */
    async pairsFor(grupo: Grupo): Promise<PairsResult> {
      const cached = await readCached(grupo);
      const now = deps.clock.now();
      if (cached && cached.expiresAt > now) {
        if (now >= cached.refreshAt) {
          shared(grupo, {}).catch((err: unknown) => deps.logger.warn({ err, grupoId: grupo.id }, 'grupo de autorização: a renovação em segundo plano falhou'));
        }
        return { ok: true, pairs: cached.pairs, fingerprint: cached.fingerprint };
      }
      return shared(grupo, {});
    },

    /** After the operator answered 401 with `fingerprint`'s pairs: new pairs, fetched at most once. */
    refreshAfterRejection(grupo: Grupo, fingerprint: string): Promise<PairsResult> {
      return shared(grupo, { staleFingerprint: fingerprint });
    },

    /** "Renovar agora" in the painel. */
    refreshNow(grupo: Grupo): Promise<PairsResult> {
      return shared(grupo, { manual: true });
    },

    /** Validates a candidate configuration with a live call, without caching anything. */
    check: fetchPairs,

    async forget(grupoId: string): Promise<void> {
      await invalidation.publish('grupo', grupoId);
      await Promise.all([deps.kv.delete(keys.pairs(grupoId)), deps.kv.delete(keys.failure(grupoId)), deps.kv.delete(keys.forced(grupoId))]);
    },

    /** Stores pairs obtained by a successful check, so the first call does not fetch again. */
    async prime(grupo: Grupo, pairs: AuthPair[]): Promise<void> {
      await writeCached(grupo, entryFor(grupo, pairs, deps.clock.now()));
    },
  };
}

export type GrupoPairsCache = ReturnType<typeof createGrupoPairsCache>;

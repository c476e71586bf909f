import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.ts';
import { sha256Hex, type SecretBox } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { createLocalInvalidation, type Invalidation } from '../../platform/invalidation.ts';
import type { AppSession } from '../app-sessions/app-sessions.service.ts';
import { DEFAULT_BLOCK_MESSAGE, mergedPermissoes, type SessionProfile } from '../app-sessions/perfil.ts';
import type { Funcionalidade } from '../funcionalidades/funcionalidades.repo.ts';
import type { FuncionalidadesService } from '../funcionalidades/funcionalidades.service.ts';
import type { ChavePasseRepo } from './chave-passe.repo.ts';

/** What the app reports when opening a funcionalidade (returned by `/clientes/chavePasse/sistema`). */
export type SistemaInfo = {
  plataforma: string;
  versaoApp: string;
  dispositivo: string | null;
  idioma: string | null;
  geolocalizacao: { latitude: number; longitude: number; precisaoMetros: number | null } | null;
};

/** A live chave passe with what it grants, as the data API reads it. */
export type ResolvedChavePasse = {
  id: string;
  sessionId: string;
  clienteId: string;
  instancia: 1 | 2;
  funcionalidade: Funcionalidade;
  sistema: SistemaInfo;
  /** The login of the session that opened it: what `usuario` and `grupoFamiliar` answer from. */
  login: SessionProfile;
  createdAt: number;
  expiresAt: number;
};

/**
 * A chave passe lookup may be served from this node's memory for this long at most: a logout
 * (`sessao-app`) or a funcionalidade change (`funcionalidade`) drops it on every node at once.
 */
const LOOKUP_CACHE_TTL_MS = 5_000;

/**
 * The funcionalidade URL with `chavePasse` added to whatever query string it already has: after
 * `&` when there is one, else after `?`, before any fragment. The operator's own query is kept as
 * it was written (re-serializing it through `searchParams` would turn `%20` into `+` and `?flag`
 * into `?flag=`). A URL already carrying `chavePasse` cannot be saved; one stored before that rule
 * gets its value replaced rather than a second one.
 */
export function urlWithChavePasse(url: string, chavePasse: string): string {
  const target = new URL(url);
  if (target.searchParams.has('chavePasse')) {
    target.searchParams.set('chavePasse', chavePasse);
    return target.href;
  }
  const param = `chavePasse=${encodeURIComponent(chavePasse)}`;
  target.search = target.search.length > 1 ? `${target.search}&${param}` : param;
  return target.href;
}

/** The associated data of what the app reported when opening a chave passe (sealed). */
export const chavePasseSistemaAad = (chavePasseId: string) => `chave-passe:${chavePasseId}`;

/**
 * Chaves passe (docs/ESPECIFICACAO.md §4): 256-bit random keys, stored only as SHA-256, bound to a session,
 * cliente, instância and funcionalidade, valid for the funcionalidade's 1–10 minutes and usable for
 * every data endpoint until then; a logout revokes them.
 */
export function createChavePasseService(deps: {
  repos: { chavePasse: ChavePasseRepo };
  clock: Clock;
  secretBox: SecretBox;
  funcionalidades: FuncionalidadesService;
  /** The login kept by a live session, or undefined once it ended. */
  sessionLogin: (sessionId: string) => Promise<SessionProfile | undefined>;
  invalidation?: Invalidation;
}) {
  const byHash = new LRUCache<string, ResolvedChavePasse>({ max: 50_000, ttl: LOOKUP_CACHE_TTL_MS });
  // Which cached keys belong to a session, so a logout can drop them; bounded like the cache itself.
  const hashesBySession = new LRUCache<string, Set<string>>({ max: 50_000, ttl: 10 * 60_000 });
  const invalidation = deps.invalidation ?? createLocalInvalidation();
  const repo = deps.repos.chavePasse;

  function forgetSession(sessionId: string): void {
    for (const hash of hashesBySession.get(sessionId) ?? []) byHash.delete(hash);
    hashesBySession.delete(sessionId);
  }

  function forgetAll(): void {
    byHash.clear();
    hashesBySession.clear();
  }

  // A logout (here, on another node) revokes the session's keys; each resolved key carries a copy
  // of its funcionalidade, which an edit or removal makes stale.
  invalidation.subscribe('sessao-app', (sessionId) => (sessionId === undefined ? forgetAll() : forgetSession(sessionId)));
  invalidation.subscribe('funcionalidade', (funcionalidadeId) => {
    if (funcionalidadeId === undefined) return forgetAll();
    const stale = [...byHash.entries()].filter(([, resolved]) => resolved.funcionalidade.id === funcionalidadeId).map(([hash]) => hash);
    for (const hash of stale) byHash.delete(hash);
  });

  return {
    /** Issues a key for the session to open `chaveFuncionalidade`; blocked or hidden funcionalidades are refused. */
    async open(input: { session: AppSession; chaveFuncionalidade: string; sistema: SistemaInfo }): Promise<{ url: string; expiraEm: number }> {
      const f = await deps.funcionalidades.findByChave(input.chaveFuncionalidade);
      if (!f || f.clienteId !== input.session.clienteId || f.instancia !== input.session.instancia || !f.ativa) {
        throw new AppError('NOT_FOUND', 'Funcionalidade não encontrada.');
      }
      const permissao = mergedPermissoes(input.session.login).get(f.codigo);
      if (permissao?.ocultar) throw new AppError('NOT_FOUND', 'Funcionalidade não encontrada.');
      if (permissao && !permissao.acesso) throw new AppError('FUNCIONALIDADE_BLOQUEADA', permissao.mensagemBloqueio?.trim() || DEFAULT_BLOCK_MESSAGE);
      const key = randomBytes(32).toString('base64url');
      const now = deps.clock.now();
      const id = newId('chavePasse');
      const expiresAt = now + f.validadeMinutos * 60_000;
      await repo.insert({
        id,
        key_hash: sha256Hex(key),
        session_id: input.session.id,
        cliente_id: f.clienteId,
        instancia: f.instancia,
        funcionalidade_id: f.id,
        sistema_selado: deps.secretBox.seal(JSON.stringify(input.sistema), chavePasseSistemaAad(id)),
        created_at: now,
        expires_at: expiresAt,
        revoked_at: null,
      });
      return { url: urlWithChavePasse(f.url, key), expiraEm: expiresAt };
    },

    /** The live key, or undefined when unknown, expired or revoked. */
    async resolve(key: string): Promise<ResolvedChavePasse | undefined> {
      const inspected = await inspect(key);
      return inspected.ok ? inspected.key : undefined;
    },

    inspect,
  };

  /**
   * The live key, or why there is none — for the operator's central de logs only: the caller of
   * the data API gets the same 403 whatever the reason.
   */
  async function inspect(key: string): Promise<{ ok: true; key: ResolvedChavePasse } | { ok: false; motivo: ChavePasseProblem }> {
    const hash = sha256Hex(key);
    const now = deps.clock.now();
    let resolved = byHash.get(hash);
    if (!resolved) {
      const row = await repo.findByKeyHash(hash);
      if (!row) return { ok: false, motivo: 'chave_desconhecida' };
      if (row.revoked_at !== null) return { ok: false, motivo: 'sessao_encerrada' };
      if (row.expires_at <= now) return { ok: false, motivo: 'chave_expirada' };
      const [funcionalidade, login] = await Promise.all([deps.funcionalidades.findById(row.funcionalidade_id), deps.sessionLogin(row.session_id)]);
      if (!funcionalidade) return { ok: false, motivo: 'funcionalidade_inativa' };
      if (!login) return { ok: false, motivo: 'sessao_encerrada' };
      resolved = {
        id: row.id,
        sessionId: row.session_id,
        clienteId: row.cliente_id,
        instancia: row.instancia as 1 | 2,
        funcionalidade,
        sistema: JSON.parse(deps.secretBox.open(row.sistema_selado, chavePasseSistemaAad(row.id))) as SistemaInfo,
        login,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
      byHash.set(hash, resolved, { ttl: Math.max(1, Math.min(LOOKUP_CACHE_TTL_MS, row.expires_at - now)) });
      const hashes = hashesBySession.get(row.session_id) ?? new Set<string>();
      hashes.add(hash);
      hashesBySession.set(row.session_id, hashes);
    }
    return resolved.expiresAt > now ? { ok: true, key: resolved } : { ok: false, motivo: 'chave_expirada' };
  }
}

/** Why a chave passe does not answer (see `inspect`). */
export type ChavePasseProblem = 'chave_desconhecida' | 'chave_expirada' | 'sessao_encerrada' | 'funcionalidade_inativa';

export type ChavePasseService = ReturnType<typeof createChavePasseService>;

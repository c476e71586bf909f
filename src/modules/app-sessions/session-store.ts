/**
 * How a beneficiary session is kept: its row (the bearer token as a SHA-256, the person as an HMAC,
 * profile and seguranca sealed), read back from a token, its login replaced by a relogin, and ended
 * — always with the `sessao-app` publication that makes every node drop the session's cached chaves
 * passe. The flows that talk to the operator (login, relogin, password change) are in
 * app-sessions.service.ts.
 *
 * Sessions remember their person as an HMAC of `cliente:chaveUnica` under the first of `personKeys`
 * (the stable key, which a master-key rotation does not change; then what older versions derived
 * from each master key); sessions from before keyed hashes carry a SHA-256 and are matched too,
 * until they expire (30 days at most).
 */
import { createHmac } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { sha256Hex, type SecretBox } from '../../platform/crypto.ts';
import type { AppSessionsTable, Db } from '../../platform/db/schema.ts';
import type { Invalidation } from '../../platform/invalidation.ts';
import type { SegurancaPair } from '../outbound/outbound.service.ts';
import type { AppSessionsRepo } from './app-sessions.repo.ts';
import { sessionProfile, type LoginResponse, type SessionProfile } from './perfil.ts';

/** A beneficiary session as the app API and the chave passe work with it. */
export type AppSession = {
  id: string;
  clienteId: string;
  instancia: 1 | 2;
  login: SessionProfile;
  seguranca: SegurancaPair[];
  expiresAt: number;
  origem: SessionOrigem;
  renovadaEm: number;
};

/** How the session was opened: a password login, or chaveAuth for a person the operator vouches for. */
export type SessionOrigem = 'login' | 'chaveAuth';

/** The associated data of a session's sealed columns. */
export const sessionSealAad = {
  perfil: (sessionId: string) => `sessao:${sessionId}:perfil`,
  seguranca: (sessionId: string) => `sessao:${sessionId}:seguranca`,
};

/**
 * More sessions than this ended at once are announced as "every session" (each node then drops all
 * its cached chaves passe, which refill from the database) rather than one invalidation row each.
 */
const MAX_SESSIONS_PUBLISHED_ONE_BY_ONE = 100;

export function createSessionStore(deps: {
  db: Db;
  repo: AppSessionsRepo;
  clock: Clock;
  secretBox: SecretBox;
  /** Keys of the HMACs that name a session's person; the first one writes, all of them match. */
  personKeys: readonly Buffer[];
  invalidation: Invalidation;
  /** How a new session row becomes durable; resolves once it is committed. */
  insertSession: (row: Insertable<AppSessionsTable>) => Promise<void>;
  /** The session policy's idle lifetime and how often a used session's row is touched. */
  policy: { idleMs: number; touchEveryMs: number };
}) {
  const { repo, invalidation } = deps;
  const seal = (value: unknown, aad: string) => deps.secretBox.seal(JSON.stringify(value), aad);
  const open = <T>(sealed: string, aad: string) => JSON.parse(deps.secretBox.open(sealed, aad)) as T;
  const personOf = (key: Buffer, clienteId: string, chaveUnica: string) => createHmac('sha256', key).update(`${clienteId}:${chaveUnica}`).digest('hex');
  /** Every hash a session of this person may carry: keyed by each of `personKeys`, and the unkeyed one of older rows. */
  const personHashes = (clienteId: string, chaveUnica: string) => [
    ...new Set([...deps.personKeys.map((key) => personOf(key, clienteId, chaveUnica)), sha256Hex(`${clienteId}:${chaveUnica}`)]),
  ];

  /** Ends one session and every chave passe issued under it; every node drops the cached keys. */
  async function endSession(sessionId: string): Promise<void> {
    const now = deps.clock.now();
    await deps.db.transaction().execute(async (trx) => {
      await repo.revoke(sessionId, now, trx);
      await repo.revokeChavesPasseOf(sessionId, now, trx);
    });
    await invalidation.publish('sessao-app', sessionId);
  }

  return {
    /** Stores a new session (durable before this resolves) and returns it as `resolve` would. */
    async openSession(input: {
      id: string;
      token: string;
      clienteId: string;
      instancia: 1 | 2;
      login: LoginResponse;
      origem: SessionOrigem;
      lifetimeMs: number;
    }): Promise<AppSession> {
      const profile = sessionProfile(input.login);
      const now = deps.clock.now();
      const session: AppSession = {
        id: input.id,
        clienteId: input.clienteId,
        instancia: input.instancia,
        login: profile,
        seguranca: input.login.seguranca?.auth ?? [],
        expiresAt: now + input.lifetimeMs,
        origem: input.origem,
        renovadaEm: now,
      };
      await deps.insertSession({
        id: input.id,
        token_hash: sha256Hex(input.token),
        cliente_id: session.clienteId,
        instancia: session.instancia,
        chave_unica_hash: personOf(deps.personKeys[0]!, session.clienteId, profile.usuarioLogado.chaveUnica),
        perfil_selado: seal(profile, sessionSealAad.perfil(input.id)),
        seguranca_selada: session.seguranca.length > 0 ? seal(session.seguranca, sessionSealAad.seguranca(input.id)) : null,
        created_at: now,
        last_seen_at: now,
        idle_expires_at: Math.min(session.expiresAt, now + deps.policy.idleMs),
        expires_at: session.expiresAt,
        revoked_at: null,
        renovada_em: now,
        origem: input.origem,
      });
      return session;
    },

    /** The live session behind a bearer token, or undefined (unknown, revoked, idle or expired). */
    async resolve(token: string): Promise<AppSession | undefined> {
      const row = await repo.findByTokenHash(sha256Hex(token));
      const now = deps.clock.now();
      if (!row || row.revoked_at !== null || row.expires_at <= now || row.idle_expires_at <= now) return undefined;
      if (now - row.last_seen_at >= deps.policy.touchEveryMs) {
        await repo.touch(row.id, now, Math.min(row.expires_at, now + deps.policy.idleMs));
      }
      return {
        id: row.id,
        clienteId: row.cliente_id,
        instancia: row.instancia as 1 | 2,
        login: open<SessionProfile>(row.perfil_selado, sessionSealAad.perfil(row.id)),
        seguranca: row.seguranca_selada ? open<SegurancaPair[]>(row.seguranca_selada, sessionSealAad.seguranca(row.id)) : [],
        expiresAt: row.expires_at,
        origem: row.origem === 'chaveAuth' ? 'chaveAuth' : 'login',
        renovadaEm: row.renovada_em ?? row.created_at,
      };
    },

    /** The login a live (not revoked, not expired) session keeps; what the chave passe data API answers from. */
    async loginOfSession(sessionId: string): Promise<SessionProfile | undefined> {
      const row = await repo.findLogin(sessionId);
      if (!row || row.revoked_at !== null || row.expires_at <= deps.clock.now()) return undefined;
      return open<SessionProfile>(row.perfil_selado, sessionSealAad.perfil(row.id));
    },

    /** Stores the login a relogin brought (sealed again) and when it came. */
    async replaceLogin(sessionId: string, login: { profile: SessionProfile; seguranca: SegurancaPair[]; renovadaEm: number }): Promise<void> {
      await repo.replaceLogin(sessionId, {
        perfilSelado: seal(login.profile, sessionSealAad.perfil(sessionId)),
        segurancaSelada: login.seguranca.length > 0 ? seal(login.seguranca, sessionSealAad.seguranca(sessionId)) : null,
        renovadaEm: login.renovadaEm,
      });
      // Cached chaves passe carry the old login: every node drops them (they are read again, not revoked).
      await invalidation.publish('sessao-app', sessionId);
    },

    endSession,

    /**
     * Ends every live session of the person in this cliente's instância (but `exceptId`) and their
     * chaves passe; every node drops the cached keys at once. Returns how many sessions ended.
     */
    async endSessionsOf(person: { clienteId: string; instancia: 1 | 2; chaveUnica: string; exceptId?: string }): Promise<number> {
      const ended = await repo.endSessionsOf(
        { clienteId: person.clienteId, instancia: person.instancia, chaveUnicaHashes: personHashes(person.clienteId, person.chaveUnica), exceptId: person.exceptId },
        deps.clock.now(),
      );
      if (ended.length > MAX_SESSIONS_PUBLISHED_ONE_BY_ONE) await invalidation.publish('sessao-app');
      else for (const id of ended) await invalidation.publish('sessao-app', id);
      return ended.length;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

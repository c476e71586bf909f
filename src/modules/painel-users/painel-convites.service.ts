import type { Clock } from '../../platform/clock.ts';
import { newSecretToken, sha256Hex } from '../../platform/crypto.ts';
import type { Db, Executor } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import { newId } from '../../platform/ids.ts';
import type { PainelActor } from '../../platform/http/painel-authz.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { Convite, PainelConvitesRepo } from './painel-convites.repo.ts';
import { conviteEmail, type PainelMail } from './painel-mail.ts';
import type { PainelUsersRepo, Role } from './painel-users.repo.ts';
import { normalizeEmail, papelNomes } from './painel-users.rules.ts';

export const convitePolicy = {
  /** How long an invitation link works. */
  validadeHoras: 72,
  /** Invitation look-ups and acceptances per IP in the window (each may cost an Argon2id hash). */
  maxPorIp: 30,
  windowSeconds: 15 * 60,
} as const;

export type ConviteStatus = 'pendente' | 'expirado';

type Deps = {
  db: Db;
  repos: { painelUsers: PainelUsersRepo; painelConvites: PainelConvitesRepo };
  clock: Clock;
  audit: AuditService;
  mail: PainelMail;
  limiter: AttemptLimiter;
  hashPassword(senha: string): Promise<string>;
  openSession(userId: string, trx?: Executor): Promise<string>;
};

const conviteInvalido = () =>
  new AppError('NOT_FOUND', 'Este convite não vale mais: o link expirou, já foi usado ou foi cancelado. Peça a quem convidou você para reenviar o convite.');

/**
 * Invitations into a cliente. Whatever the e-mail — an account nobody has, an account of another
 * cliente, a platform admin — inviting answers the same and writes the same e-mail; nothing of the
 * account is read. The person gets a one-time link (256-bit token, only its SHA-256 stored,
 * 72 h): without an account they choose their own name and password; with one they log in as
 * that e-mail and accept. Until then the cliente has a pending invitation and nothing else.
 */
export function createPainelConvitesService(deps: Deps) {
  const convites = deps.repos.painelConvites;
  const users = deps.repos.painelUsers;

  const statusOf = (convite: Convite, now: number): ConviteStatus => (convite.expiraEm > now ? 'pendente' : 'expirado');
  const newToken = () => {
    const token = newSecretToken('pconv');
    return { token, tokenHash: sha256Hex(token), expiraEm: deps.clock.now() + convitePolicy.validadeHoras * 3_600_000 };
  };

  async function deliver(convite: Convite, token: string, convidadoPor: string): Promise<void> {
    const clienteNome = (await convites.clienteNome(convite.clienteId)) ?? 'um cliente';
    const message = conviteEmail(deps.mail, { to: convite.email, token, clienteNome, papel: convite.papel, convidadoPor, validadeHoras: convitePolicy.validadeHoras });
    try {
      // In development the e-mail lands in the cliente's outbox (Sandbox).
      await deps.mail.sender.send(message, { clienteId: convite.clienteId, instancia: 1 });
    } catch (error) {
      throw new AppError('SERVICE_UNAVAILABLE', `O convite para ${convite.email} foi registrado, mas o e-mail não pôde ser enviado agora. Tente "Reenviar" na lista de convites em alguns minutos.`, {
        cause: error,
      });
    }
  }

  function assertLimit(ip: string) {
    return deps.limiter.consume(
      [{ key: `painel-convite:ip:${ip}`, max: convitePolicy.maxPorIp, windowSeconds: convitePolicy.windowSeconds }],
      'Muitas tentativas com links de convite a partir deste endereço. Aguarde alguns minutos e tente de novo.',
    );
  }

  return {
    policy: convitePolicy,
    statusOf,

    /**
     * Invites the e-mail into the cliente with the papel, or re-invites it (the earlier link stops
     * working). Only someone already in this cliente is refused (409): the admin sees them in the list.
     */
    async convidar(input: { clienteId: string; email: string; papel: Role; actor: AuditActor }): Promise<Convite> {
      const email = normalizeEmail(input.email);
      const role = await users.roleInClienteByEmail(input.clienteId, email);
      if (role) throw new AppError('CONFLICT', `"${email}" já participa deste cliente como ${papelNomes[role]}. Para mudar o papel, use a lista de usuários.`);
      const { token, tokenHash, expiraEm } = newToken();
      const convite = await deps.db.transaction().execute(async (trx) => {
        const saved = await convites.upsert(
          { id: newId('convite'), clienteId: input.clienteId, email, papel: input.papel, tokenHash, convidadoPor: input.actor.userId, now: deps.clock.now(), expiraEm },
          trx,
        );
        await deps.audit.record({ clienteId: input.clienteId, actor: input.actor, action: 'usuario.convidado', targetType: 'convite', targetId: saved.id, after: { email, role: input.papel } }, trx);
        return saved;
      });
      await deliver(convite, token, input.actor.label);
      return convite;
    },

    async listar(clienteId: string) {
      const now = deps.clock.now();
      return (await convites.listForCliente(clienteId)).map((convite) => ({ ...convite, status: statusOf(convite, now) }));
    },

    /** A new link (and 72 h more) for a pending or expired invitation; the previous link stops working. */
    async reenviar(input: { clienteId: string; conviteId: string; actor: AuditActor }): Promise<Convite> {
      const { token, tokenHash, expiraEm } = newToken();
      const convite = await deps.db.transaction().execute(async (trx) => {
        const renewed = await convites.renew(input.clienteId, input.conviteId, tokenHash, deps.clock.now(), expiraEm, trx);
        if (!renewed) throw new AppError('NOT_FOUND', 'Convite não encontrado: ele já foi aceito ou cancelado. Atualize a lista.');
        await deps.audit.record({ clienteId: input.clienteId, actor: input.actor, action: 'usuario.convite_reenviado', targetType: 'convite', targetId: renewed.id, after: { email: renewed.email, role: renewed.papel } }, trx);
        return renewed;
      });
      await deliver(convite, token, input.actor.label);
      return convite;
    },

    /** Cancels the invitation: its link stops working at once. */
    async cancelar(input: { clienteId: string; conviteId: string; actor: AuditActor }): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        const convite = await convites.findInCliente(input.clienteId, input.conviteId, trx);
        if (!convite || !(await convites.delete(input.clienteId, input.conviteId, trx))) {
          throw new AppError('NOT_FOUND', 'Convite não encontrado: ele já foi aceito ou cancelado. Atualize a lista.');
        }
        await deps.audit.record({ clienteId: input.clienteId, actor: input.actor, action: 'usuario.convite_cancelado', targetType: 'convite', targetId: convite.id, before: { email: convite.email, role: convite.papel } }, trx);
      });
    },

    /**
     * What the invitation link shows: the cliente's name, the e-mail, the papel — and whether that
     * e-mail already has an account, so the page asks for a new password or for a login. Only the
     * holder of the link (sent to that e-mail) can ask.
     */
    async consultar(token: string, ip: string) {
      await assertLimit(ip);
      const convite = await convites.findLiveByTokenHash(sha256Hex(token), deps.clock.now());
      if (!convite) throw conviteInvalido();
      const account = await users.findCredentialsByEmail(convite.email);
      return { clienteNome: convite.clienteNome, email: convite.email, papel: convite.papel, expiraEm: convite.expiraEm, contaExistente: account !== undefined };
    },

    /**
     * Accepts the invitation (the link works once). For an e-mail without an account, `nome` and
     * `senha` create it and a session is opened (`sessionToken`). For an e-mail with an account,
     * the caller must be logged in as that account (`actor`): the link proves the mailbox, the
     * session proves the account.
     */
    async aceitar(input: { token: string; ip: string; actor: PainelActor | null; nome?: string | undefined; senha?: string | undefined }): Promise<{ clienteId: string; userId: string; sessionToken: string | null }> {
      await assertLimit(input.ip);
      const tokenHash = sha256Hex(input.token);
      const live = await convites.findLiveByTokenHash(tokenHash, deps.clock.now());
      if (!live) throw conviteInvalido();
      const account = await users.findCredentialsByEmail(live.email);

      if (account) {
        if (!input.actor) throw new AppError('FORBIDDEN', `O e-mail ${live.email} já tem conta no painel: entre com ela e abra o link do convite de novo para aceitar.`);
        if (input.actor.user.id !== account.user.id) {
          throw new AppError('FORBIDDEN', `Este convite é para ${live.email}, e você entrou como ${input.actor.user.email}. Saia e entre como ${live.email} para aceitar.`);
        }
        await deps.db.transaction().execute(async (trx) => {
          const convite = await convites.consume(tokenHash, deps.clock.now(), trx);
          if (!convite) throw conviteInvalido();
          await users.insertMembershipIfAbsent(account.user.id, { clienteId: convite.clienteId, role: convite.papel }, deps.clock.now(), trx);
          await deps.audit.record(
            { clienteId: convite.clienteId, actor: { userId: account.user.id, label: account.user.email }, action: 'usuario.convite_aceito', targetType: 'usuario', targetId: account.user.id, after: { email: convite.email, role: convite.papel } },
            trx,
          );
        });
        return { clienteId: live.clienteId, userId: account.user.id, sessionToken: null };
      }

      const nome = input.nome?.trim();
      const details = [
        ...(nome ? [] : [{ field: 'nome', message: 'Informe o seu nome, como os colegas vão vê-lo no painel.' }]),
        ...(input.senha ? [] : [{ field: 'senha', message: 'Escolha a sua senha (ao menos 10 caracteres).' }]),
      ];
      if (details.length > 0 || !nome || !input.senha) throw new AppError('VALIDATION_FAILED', undefined, { details });
      const passwordHash = await deps.hashPassword(input.senha);
      const userId = newId('painelUser');
      try {
        return await deps.db.transaction().execute(async (trx) => {
          const now = deps.clock.now();
          const convite = await convites.consume(tokenHash, now, trx);
          if (!convite) throw conviteInvalido();
          await users.insert(
            { id: userId, email: convite.email, nome, passwordHash, isPlatformAdmin: false, active: true, lastLoginAt: null, createdAt: now },
            trx,
          );
          await users.putMembership(userId, { clienteId: convite.clienteId, role: convite.papel }, now, trx);
          await users.recordSuccessfulLogin(userId, now, trx);
          await deps.audit.record(
            { clienteId: convite.clienteId, actor: { userId, label: convite.email }, action: 'usuario.convite_aceito', targetType: 'usuario', targetId: userId, after: { email: convite.email, nome, role: convite.papel } },
            trx,
          );
          return { clienteId: convite.clienteId, userId, sessionToken: await deps.openSession(userId, trx) };
        });
      } catch (error) {
        // The e-mail got an account a moment ago (another invitation accepted at once): nothing was written.
        if (!(error instanceof AppError) && (await users.findCredentialsByEmail(live.email))) {
          throw new AppError('CONFLICT', `O e-mail ${live.email} acabou de ganhar uma conta no painel: entre com ela e abra o link do convite de novo para aceitar.`);
        }
        throw error;
      }
    },
  };
}

export type PainelConvitesService = ReturnType<typeof createPainelConvitesService>;

import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import { newSecretToken, sha256Hex } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import type { PainelActor } from '../../platform/http/painel-authz.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { redefinicaoEmail, type PainelMail } from './painel-mail.ts';
import type { PainelRedefinicoesRepo } from './painel-redefinicoes.repo.ts';
import type { PainelSessionsRepo, PainelUsersRepo } from './painel-users.repo.ts';
import { normalizeEmail } from './painel-users.rules.ts';

export const senhaPolicy = {
  /** How long an "esqueci minha senha" link works. */
  redefinicaoMinutos: 60,
  windowSeconds: 15 * 60,
  /** Password changes per account in the window (each checks the current password). */
  trocasPorConta: 5,
  /** "Esqueci minha senha" requests per IP, and per e-mail from one IP, in the window. */
  esqueciPorIp: 10,
  esqueciPorEmailEIp: 3,
  /** Reset e-mails per account per hour, whoever asks: beyond it, requests are answered and nothing is sent. */
  emailsPorContaPorHora: 5,
  /** Reset attempts (new password with a link) per IP in the window. */
  redefinicoesPorIp: 20,
} as const;

type Deps = {
  db: Db;
  repos: { painelUsers: PainelUsersRepo; painelSessions: PainelSessionsRepo; painelRedefinicoes: PainelRedefinicoesRepo };
  clock: Clock;
  audit: AuditService;
  mail: PainelMail;
  logger: Logger;
  limiter: AttemptLimiter;
  hashPassword(senha: string): Promise<string>;
  verifyPassword(passwordHash: string, senha: string): Promise<boolean>;
  inBackground(work: () => Promise<void>): void;
};

const linkInvalido = () =>
  new AppError('NOT_FOUND', 'Este link de redefinição não vale mais: ele expirou, já foi usado ou um link mais novo foi pedido. Peça outro em "Esqueci minha senha".');

/** A painel user's own password: changing it (logged in), and "esqueci minha senha" by e-mail. */
export function createPainelSenhasService(deps: Deps) {
  const users = deps.repos.painelUsers;
  const sessions = deps.repos.painelSessions;
  const redefinicoes = deps.repos.painelRedefinicoes;

  async function sendResetLink(email: string): Promise<void> {
    const found = await users.findCredentialsByEmail(email);
    if (!found?.user.active) return;
    const user = found.user;
    try {
      await deps.limiter.consume([{ key: `painel-esqueci:conta:${user.id}`, max: senhaPolicy.emailsPorContaPorHora, windowSeconds: 3600 }], 'limite de e-mails');
    } catch (error) {
      if (error instanceof AppError && error.code === 'RATE_LIMITED') {
        deps.logger.warn({ userId: user.id }, 'painel: pedidos de redefinição de senha demais para esta conta na última hora; nenhum e-mail enviado');
        return;
      }
      throw error;
    }
    // Where the development outbox files it (it is kept per cliente); SMTP ignores it.
    const clienteId = await users.outboxClienteFor(user.id);
    if (!clienteId) {
      deps.logger.warn({ userId: user.id }, 'painel: não há cliente sob o qual guardar o e-mail de redefinição; crie um cliente primeiro');
      return;
    }
    const token = newSecretToken('psenha');
    const now = deps.clock.now();
    await deps.db.transaction().execute(async (trx) => {
      // Only the newest link works.
      await redefinicoes.deleteForUser(user.id, trx);
      await redefinicoes.insert({ tokenHash: sha256Hex(token), userId: user.id, now, expiraEm: now + senhaPolicy.redefinicaoMinutos * 60_000 }, trx);
    });
    await redefinicoes.deleteExpired(now, 100);
    await deps.mail.sender.send(redefinicaoEmail(deps.mail, { to: user.email, token, validadeMinutos: senhaPolicy.redefinicaoMinutos }), { clienteId, instancia: 1 });
  }

  return {
    policy: senhaPolicy,

    /**
     * Changes the actor's password after checking the current one, and ends every other painel
     * session of theirs (the one making the change stays). Returns how many sessions ended.
     */
    async trocar(input: { actor: PainelActor; senhaAtual: string; senhaNova: string }): Promise<{ sessoesEncerradas: number }> {
      const { user } = input.actor;
      await deps.limiter.consume(
        [{ key: `painel-troca-senha:${user.id}`, max: senhaPolicy.trocasPorConta, windowSeconds: senhaPolicy.windowSeconds }],
        'Muitas tentativas de trocar a senha. Aguarde 15 minutos e tente de novo.',
      );
      const credentials = await users.findCredentialsByEmail(user.email);
      if (!credentials || !(await deps.verifyPassword(credentials.passwordHash, input.senhaAtual))) {
        throw new AppError('VALIDATION_FAILED', undefined, { details: [{ field: 'senhaAtual', message: 'A senha atual não confere. Digite a senha com que você entrou no painel.' }] });
      }
      if (input.senhaNova === input.senhaAtual) {
        throw new AppError('VALIDATION_FAILED', undefined, { details: [{ field: 'senhaNova', message: 'Escolha uma senha diferente da atual.' }] });
      }
      const passwordHash = await deps.hashPassword(input.senhaNova);
      return deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        await users.updatePassword(user.id, passwordHash, now, trx);
        const sessoesEncerradas = await sessions.deleteForUserExcept(user.id, input.actor.sessionTokenHash, trx);
        await redefinicoes.deleteForUser(user.id, trx);
        await deps.audit.record({ clienteId: null, actor: { userId: user.id, label: user.email }, action: 'usuario.senha_alterada', targetType: 'usuario', targetId: user.id }, trx);
        return { sessoesEncerradas };
      });
    },

    /**
     * "Esqueci minha senha": answers at once and the same whether or not the e-mail has an account
     * (429 only for the asking IP, counted the same for any e-mail). The link, if there is anyone
     * to send it to, is made and sent in the background — the time the answer takes says nothing.
     */
    async esqueci(input: { email: string; ip: string }): Promise<void> {
      const email = normalizeEmail(input.email);
      await deps.limiter.consume(
        [
          { key: `painel-esqueci:ip:${input.ip}`, max: senhaPolicy.esqueciPorIp, windowSeconds: senhaPolicy.windowSeconds },
          { key: `painel-esqueci:par:${sha256Hex(`${email}:${input.ip}`)}`, max: senhaPolicy.esqueciPorEmailEIp, windowSeconds: senhaPolicy.windowSeconds },
        ],
        'Muitos pedidos de redefinição de senha a partir deste endereço. Aguarde alguns minutos e tente de novo.',
      );
      deps.inBackground(() => sendResetLink(email));
    },

    /**
     * A forgotten password set from the server's terminal (`ponte admin senha`), for when no e-mail
     * can reach its owner (the first administrador, a server without SMTP): whoever runs the CLI
     * already holds the database and the keys. Ends every painel session of that account.
     */
    async definirPeloTerminal(input: { email: string; senhaNova: string; actor: { userId: string | null; label: string } }): Promise<{ id: string; email: string; ativo: boolean }> {
      const email = normalizeEmail(input.email);
      const found = await users.findCredentialsByEmail(email);
      if (!found) throw new AppError('NOT_FOUND', `Nenhuma conta do painel com o e-mail "${email}". Para criar um administrador: ponte admin create --email ${email}`);
      const passwordHash = await deps.hashPassword(input.senhaNova);
      await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        await users.updatePassword(found.user.id, passwordHash, now, trx);
        await sessions.deleteForUser(found.user.id, trx);
        await redefinicoes.deleteForUser(found.user.id, trx);
        await deps.audit.record({ clienteId: null, actor: input.actor, action: 'usuario.senha_redefinida', targetType: 'usuario', targetId: found.user.id }, trx);
      });
      return { id: found.user.id, email: found.user.email, ativo: found.user.active };
    },

    /** Sets a new password with a reset link (single use) and ends every painel session of that person. */
    async redefinir(input: { token: string; senhaNova: string; ip: string }): Promise<void> {
      await deps.limiter.consume(
        [{ key: `painel-redefinir:ip:${input.ip}`, max: senhaPolicy.redefinicoesPorIp, windowSeconds: senhaPolicy.windowSeconds }],
        'Muitas tentativas de redefinir a senha a partir deste endereço. Aguarde alguns minutos e tente de novo.',
      );
      const tokenHash = sha256Hex(input.token);
      // Checked before hashing, so a made-up link costs no Argon2id.
      if (!(await redefinicoes.isLive(tokenHash, deps.clock.now()))) throw linkInvalido();
      const passwordHash = await deps.hashPassword(input.senhaNova);
      await deps.db.transaction().execute(async (trx) => {
        const now = deps.clock.now();
        const userId = await redefinicoes.consume(tokenHash, now, trx);
        const user = userId === undefined ? undefined : await users.findById(userId, trx);
        if (!user?.active) throw linkInvalido();
        await users.updatePassword(user.id, passwordHash, now, trx);
        await sessions.deleteForUser(user.id, trx);
        await redefinicoes.deleteForUser(user.id, trx);
        await deps.audit.record({ clienteId: null, actor: { userId: user.id, label: user.email }, action: 'usuario.senha_redefinida', targetType: 'usuario', targetId: user.id }, trx);
      });
    },
  };
}

export type PainelSenhasService = ReturnType<typeof createPainelSenhasService>;

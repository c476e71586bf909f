import { createHmac, randomInt } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { safeEqual, type SecretBox } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { AttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import { newId } from '../../platform/ids.ts';
import type { AppContext, AppSessionsService, FormIdentifier, FormSubmission } from '../app-sessions/app-sessions.service.ts';
import { operatorMessage } from '../operator-call/operator-call.ts';
import { valueOrThrow } from '../outbound/outcome-to-error.ts';
import type { ResponseOf } from '../contracts/contracts.ts';
import type { OutboundService, SegurancaPair } from '../outbound/outbound.service.ts';
import type { EntregaDeCodigos } from './mensageiro.ts';
import { paraE164 } from '../mensagens/telefone.ts';
import { contactForApp, normalizedContact, type TipoContato } from './ofuscacao.ts';
import type { RecuperacaoRepo, RecuperacaoRow } from './recuperacao.repo.ts';

export const recuperacaoPolicy = {
  /** From identification to the new password. */
  flowMs: 30 * 60 * 1000,
  codeMs: 10 * 60 * 1000,
  codeDigits: 6,
  attemptsPerCode: 5,
  sendsPerContact: { max: 5, windowSeconds: 60 * 60 },
  identificationPerIdentifier: { max: 10, windowSeconds: 60 * 60 },
  identificationPerIp: { max: 60, windowSeconds: 60 * 60 },
} as const;

/** A contact as the operator gave it; the clear `contato` never leaves this service. */
type Contato = { id: string; tipo: TipoContato; contato: string; ofuscado: string };

/** What the identification proved, sealed in the flow row (`estado_selado`). */
type Estado = { chaveUnica: string; integracao: unknown; seguranca: SegurancaPair[]; contatos: Contato[] };

/** The identification response after the contract check: its type is the contract's (contracts.ts). */
type Identificacao = ResponseOf<'recuperarSenhaIdentificacao'>;

export type ContatoParaApp = { id: string; tipo: TipoContato; ofuscado: string };

const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * Recuperar senha (docs/ESPECIFICACAO.md §5): identification at the operator → contacts, only obfuscated, to the
 * app → a 6-digit code by e-mail or SMS → proof of the code → the new password at the operator,
 * with the identification's `seguranca` headers. The flow lives 30 minutes and changes one
 * password; codes live 10 minutes, allow 5 attempts, and a new send voids the previous one.
 */
/** The associated data of a recovery flow's sealed state. */
export const estadoAad = (recuperacaoId: string) => `recuperacao:${recuperacaoId}:estado`;

export function createRecuperacaoService(deps: {
  repos: { recuperacao: RecuperacaoRepo };
  clock: Clock;
  secretBox: SecretBox;
  outbound: OutboundService;
  limiter: AttemptLimiter;
  submission: FormSubmission;
  identifierOf: FormIdentifier;
  /** A completed recovery ends every app session of the person (and their chaves passe). */
  endSessionsOf: AppSessionsService['endSessionsOf'];
  /** Delivers the code with the instância's SMS provider, e-mail sender and templates (modules/mensagens). */
  codigos: EntregaDeCodigos;
  /** Secret for the code and contact hashes, so a leaked table or KV cannot be brute-forced offline. */
  hashKey: Buffer;
}) {
  const repo = deps.repos.recuperacao;
  const policy = recuperacaoPolicy;
  const hmac = (purpose: string, value: string) => createHmac('sha256', deps.hashKey).update(`${purpose}:${value}`).digest('hex');
  // Bound to the flow id: the same digits prove nothing in another flow.
  const codeHash = (flowId: string, code: string) => hmac('codigo', `${flowId}:${code}`);
  const openEstado = (row: RecuperacaoRow) => JSON.parse(deps.secretBox.open(row.estadoSelado, estadoAad(row.id))) as Estado;
  const codeProblem = (message: string) => new AppError('VALIDATION_FAILED', message, { details: [{ field: 'codigo', message }] });

  /** The flow of this app, still open: 404 when unknown or expired, 409 once concluded. */
  async function openFlow(app: AppContext, id: string): Promise<RecuperacaoRow> {
    const row = await repo.find(id, app.clienteId, app.instancia);
    if (!row || row.expiresAt <= deps.clock.now()) {
      throw new AppError('NOT_FOUND', `Recuperação de senha não encontrada ou expirada (ela vale ${minutes(policy.flowMs)} minutos). Comece novamente.`);
    }
    if (row.concluidoEm !== null) throw new AppError('CONFLICT', 'Esta recuperação de senha já foi concluída. Para trocar a senha de novo, comece outra recuperação.');
    return row;
  }

  return {
    /** Step 1: the identification form goes to the operator; the contacts come back obfuscated. */
    async identificar(input: { app: AppContext; campos: unknown; ip: string; correlationId: string }): Promise<{ id: string; contatos: ContatoParaApp[] }> {
      // Limits first, on the form's identifier field as sent (a CPF as its digits): validation costs more.
      const identificador = await deps.identifierOf(input.app, 'recuperarSenhaIdentificacao', input.campos);
      await deps.limiter.consume(
        [
          { key: `recuperacao:id:${hmac('identificador', `${input.app.clienteId}:${identificador}`)}`, ...policy.identificationPerIdentifier },
          { key: `recuperacao:ip:${input.ip}`, ...policy.identificationPerIp },
        ],
        'Muitas tentativas de recuperar a senha. Aguarde alguns minutos e tente novamente.',
      );
      const body = await deps.submission(input.app, 'recuperarSenhaIdentificacao', input.campos);
      const outcome = await deps.outbound.call({
        clienteId: input.app.clienteId,
        instancia: input.app.instancia,
        method: 'recuperarSenhaIdentificacao',
        body,
        chaveUsuario: identificador,
        correlationId: input.correlationId,
      });
      const identificacao = valueOrThrow(outcome) as Identificacao;

      const contatos: Contato[] = [];
      for (const c of identificacao.contatos) {
        // Ids pick a contact later; a repeated id would be ambiguous, so the first one wins.
        if (contatos.some((known) => known.id === c.id)) continue;
        const tipo: TipoContato = c.tipo === 1 ? 'email' : 'celular';
        contatos.push({ id: c.id, tipo, contato: c.contato, ofuscado: contactForApp(tipo, c.contato, c.ofuscado) });
      }
      const estado: Estado = {
        chaveUnica: identificacao.chaveUnica,
        integracao: identificacao.integracao ?? null,
        seguranca: identificacao.seguranca?.auth ?? [],
        contatos,
      };
      const id = newId('recuperacao');
      const now = deps.clock.now();
      await repo.insert({
        id,
        clienteId: input.app.clienteId,
        instancia: input.app.instancia,
        estadoSelado: deps.secretBox.seal(JSON.stringify(estado), estadoAad(id)),
        contatoEscolhido: null,
        codigoHash: null,
        codigoExpiresAt: null,
        tentativas: 0,
        verificadoEm: null,
        concluidoEm: null,
        createdAt: now,
        expiresAt: now + policy.flowMs,
      });
      return { id, contatos: contatos.map(({ id: contatoId, tipo, ofuscado }) => ({ id: contatoId, tipo, ofuscado })) };
    },

    /** Step 2: a new code to the chosen contact; any previous code of the flow dies. */
    async enviarCodigo(input: { app: AppContext; id: string; contatoId: string; correlationId?: string | undefined }): Promise<{ enviadoPara: string; expiraEm: number }> {
      const flow = await openFlow(input.app, input.id);
      const contato = openEstado(flow).contatos.find((c) => c.id === input.contatoId);
      if (!contato) {
        const message = 'Contato não encontrado nesta recuperação: escolha um dos contatos listados.';
        throw new AppError('VALIDATION_FAILED', message, { details: [{ field: 'contatoId', message }] });
      }
      // A number no SMS provider could deliver to is refused before any code exists or any limit is spent.
      if (contato.tipo === 'celular' && !paraE164(contato.contato)) {
        const message = 'O número de celular deste contato não é válido, então o código não pode ser enviado por SMS. Escolha outro contato.';
        throw new AppError('VALIDATION_FAILED', message, { details: [{ field: 'contatoId', message }] });
      }
      // Per contact, whatever flow asks: the person behind it is who the limit protects.
      const contactKey = hmac('contato', `${input.app.clienteId}:${contato.tipo}:${normalizedContact(contato.tipo, contato.contato)}`);
      await deps.limiter.consume(
        [{ key: `recuperacao:envios:${contactKey}`, ...policy.sendsPerContact }],
        `Este contato já recebeu ${policy.sendsPerContact.max} códigos na última hora, o máximo. Aguarde para pedir outro ou escolha outro contato.`,
      );

      const code = String(randomInt(0, 10 ** policy.codeDigits)).padStart(policy.codeDigits, '0');
      const hash = codeHash(flow.id, code);
      const now = deps.clock.now();
      const expiraEm = now + policy.codeMs;
      // Stored before it is sent, so a code that arrives can always be proven.
      if (!(await repo.armCode(flow.id, { hash, expiresAt: expiraEm, contatoId: contato.id }, now))) {
        throw new AppError('CONFLICT', 'Esta recuperação de senha não está mais ativa. Comece novamente.');
      }
      try {
        // One code per send: a transient provider failure is retried inside with this same code, never a new one.
        await deps.codigos.enviarCodigo({
          app: input.app,
          canal: contato.tipo === 'email' ? 'email' : 'sms',
          destino: contato.contato,
          codigo: code,
          validadeMinutos: minutes(policy.codeMs),
          correlationId: input.correlationId,
        });
      } catch (error) {
        // A code nobody received must not stay provable.
        await repo.voidCode(flow.id, hash);
        throw error;
      }
      return { enviadoPara: contato.ofuscado, expiraEm };
    },

    /** Step 3: proves the code. Each try counts, atomically, against the code's attempts. */
    async verificar(input: { app: AppContext; id: string; codigo: string }): Promise<{ verificado: true }> {
      const flow = await openFlow(input.app, input.id);
      const now = deps.clock.now();
      const max = policy.attemptsPerCode;
      const renew = 'Peça um novo código.';
      if (flow.codigoHash === null || flow.codigoExpiresAt === null) throw codeProblem(`Não há código ativo nesta recuperação. ${renew}`);
      if (flow.codigoExpiresAt <= now) throw codeProblem(`O código expirou (ele vale ${minutes(policy.codeMs)} minutos). ${renew}`);
      if (flow.tentativas >= max) throw codeProblem(`Este código foi invalidado após ${max} tentativas incorretas. ${renew}`);

      const attempts = await repo.countAttempt(flow.id, flow.codigoHash, max, now);
      // Someone else used the last attempt, or a new code replaced this one, in the meantime.
      if (attempts === undefined) throw codeProblem(`Este código não vale mais. ${renew}`);
      if (!safeEqual(codeHash(flow.id, input.codigo), flow.codigoHash)) {
        const left = max - attempts;
        if (left === 0) throw codeProblem(`Código incorreto. Após ${max} tentativas o código foi invalidado. ${renew}`);
        throw codeProblem(`Código incorreto. ${left === 1 ? 'Resta 1 tentativa' : `Restam ${left} tentativas`}.`);
      }
      if (!(await repo.markVerified(flow.id, flow.codigoHash, now))) throw codeProblem(`Este código não vale mais. ${renew}`);
      return { verificado: true };
    },

    /** Step 4: the new password at the operator, once per flow; then every app session of the person ends. */
    async novaSenha(input: { app: AppContext; id: string; campos: unknown; correlationId: string }): Promise<{ mensagem: string }> {
      const flow = await openFlow(input.app, input.id);
      if (flow.verificadoEm === null) throw new AppError('CONFLICT', 'Confirme o código enviado antes de definir a nova senha.');
      const form = await deps.submission(input.app, 'recuperarSenhaNovaSenha', input.campos);
      const estado = openEstado(flow);
      const claimedAt = deps.clock.now();
      if (!(await repo.claimConclusion(flow.id, claimedAt))) {
        throw new AppError('CONFLICT', 'Esta recuperação de senha já foi concluída ou expirou. Comece novamente.');
      }
      let answer: unknown;
      try {
        const outcome = await deps.outbound.call({
          clienteId: input.app.clienteId,
          instancia: input.app.instancia,
          method: 'recuperarSenhaNovaSenha',
          body: { chaveUnica: estado.chaveUnica, integracao: estado.integracao ?? {}, ...form },
          seguranca: estado.seguranca,
          chaveUsuario: estado.chaveUnica,
          correlationId: input.correlationId,
        });
        answer = valueOrThrow(outcome);
      } catch (error) {
        // The operator did not change the password: the verified flow stays usable for another try.
        await repo.releaseConclusion(flow.id, claimedAt);
        throw error;
      }
      // Whoever held a session with the old password (maybe who made the person recover it) is out.
      await deps.endSessionsOf({ clienteId: input.app.clienteId, instancia: input.app.instancia, chaveUnica: estado.chaveUnica });
      return { mensagem: operatorMessage(answer) ?? 'Senha alterada com sucesso.' };
    },
  };
}

export type RecuperacaoService = ReturnType<typeof createRecuperacaoService>;

/**
 * "Envio de mensagens": reads and saves an instância's settings (checked and built by
 * envio-mensagens.config.ts), sends the painel's test messages and the recovery codes — through the
 * SMS provider (provedores-sms.ts) or SMTP (envio-smtp.ts), once more after a transient failure —
 * and records every attempt in the central de logs and the metrics.
 */
import type { Clock } from '../../platform/clock.ts';
import type { SecretBox } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';
import type { AttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import type { OutboundResult } from '../../platform/http-client/http-client.ts';
import type { CidrList } from '../../platform/http-client/ssrf-guard.ts';
import { newId } from '../../platform/ids.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { LogCenterWriter } from '../log-center/log-center.types.ts';
import type { Outcome } from '../log-center/log-center.types.ts';
import type { EnvioHttp } from './envio-http.ts';
import {
  buildSmsConfig,
  checkModelos,
  defaultConfig,
  describeForAudit,
  destinoDe,
  envioLimits,
  envioMensagensAad,
  fromHeader,
  nomeProvedor,
  openSmsSecrets,
  openSmtpUrl,
  smtpUrlProblem,
  type EnvioInput,
} from './envio-mensagens.config.ts';
import type { EnvioConfig, EnvioMensagens, EnvioMensagensRepo } from './envio-mensagens.repo.ts';
import { smtpAttempt } from './envio-smtp.ts';
import { emailHtml, exemploVariaveis, preencher, type Variaveis } from './modelos.ts';
import { createProvedoresSms, type SmsProvedorConfigurado, type Tentativa } from './provedores-sms.ts';
import { mascararEmail, mascararTelefone, paraE164 } from './telefone.ts';
import { contarSms } from './sms-texto.ts';

/** Seconds the app is told to wait after a failed send (`Retry-After`). */
const RETRY_AFTER_SECONDS = 30;

/** What the delivery falls back to when the instância has no provider of its own (the development outbox, or a clear refusal in production). */
export type SemProvedor = {
  sms: { send(to: string, text: string, from: { clienteId: string; instancia: 1 | 2 }): Promise<void> };
  email: { send(message: { to: string; subject: string; text: string }, from: { clienteId: string; instancia: 1 | 2 }): Promise<void> };
};

export type Canal = 'sms' | 'email';

export type ResultadoEnvio = { ok: boolean; canal: Canal; provedor: string; destino: string; latenciaMs: number; tentativas: number; erro: string | null };

export function createEnvioMensagensService(deps: {
  db: Db;
  repos: { envioMensagens: EnvioMensagensRepo };
  clock: Clock;
  secretBox: SecretBox;
  audit: AuditService;
  allowlist: CidrList;
  http: EnvioHttp;
  logCenter: LogCenterWriter;
  metrics: Metrics;
  limiter: AttemptLimiter;
  /** The platform's SMTP (`PONTE_SMTP_URL`, `PONTE_SMTP_FROM`): e-mail of an instância without its own server. */
  plataforma: { smtpUrl: string | undefined; smtpFrom: string };
  semProvedor: SemProvedor;
  /** The cliente's name: the app's name in the messages. */
  clienteNome: (clienteId: string) => Promise<string>;
}) {
  const repo = deps.repos.envioMensagens;
  const provedores = createProvedoresSms({ http: deps.http, clock: deps.clock, allowlist: deps.allowlist });

  /** One attempt in the central de logs (masked) and in the metrics. */
  function record(input: { clienteId: string; instancia: 1 | 2; canal: Canal; provedor: string; destinoMascarado: string; tentativa: number; teste: boolean; correlationId?: string | undefined }, attempt: Tentativa) {
    const { result } = attempt;
    let outcome: Outcome;
    if (attempt.ok) outcome = 'sucesso';
    else if (result.kind === 'failure') outcome = result.reason === 'url_bloqueada' || result.reason === 'endereco_bloqueado' ? 'bloqueado' : 'falha_comunicacao';
    // A transient answer (HTTP 5xx; SMTP 4xx) is a failure worth a retry; any other is the provider's refusal (SMTP 5xx is final).
    else outcome = attempt.transitoria ? 'falha_comunicacao' : 'recusado_pela_operadora';
    // The provider's body may echo the number or the text (with the code): only its error words and message id are kept.
    const logged: OutboundResult =
      result.kind === 'response' ? { ...result, headers: {}, bodyText: JSON.stringify(attempt.ok ? { mensagem: 'Mensagem aceita pelo provedor.', ...(attempt.idMensagem ? { id: attempt.idMensagem } : {}) } : { mensagem: attempt.erro ?? '' }) } : result;
    try {
      deps.logCenter.record({
        clienteId: input.clienteId,
        instancia: input.instancia,
        operacao: 'envioCodigo',
        url: attempt.url,
        requestHeaders: {},
        requestBody: { canal: input.canal, provedor: input.provedor, destino: input.destinoMascarado, tentativa: input.tentativa, ...(input.teste ? { teste: true } : {}) },
        result: logged,
        violations: [],
        outcome,
        correlationId: input.correlationId,
        at: deps.clock.now(),
      });
    } catch {
      // The central de logs never fails a send.
    }
    deps.metrics.mensagensEnviadas.inc({ canal: input.canal, provedor: input.provedor, resultado: outcome });
    deps.metrics.mensagensDuracao.observe({ canal: input.canal, provedor: input.provedor }, result.latencyMs / 1000);
  }

  /** Calls `attempt`; once more after a transient failure (timeout, connection; HTTP 5xx, SMTP 4xx) with the very same message. */
  async function withOneRetry(attempt: () => Promise<Tentativa>, log: (t: Tentativa, n: number) => void): Promise<{ last: Tentativa; tentativas: number; latencia: number }> {
    let last = await attempt();
    log(last, 1);
    let latencia = last.result.latencyMs;
    if (!last.ok && last.transitoria) {
      last = await attempt();
      log(last, 2);
      latencia += last.result.latencyMs;
      return { last, tentativas: 2, latencia };
    }
    return { last, tentativas: 1, latencia };
  }


  /** One message to one destination with the instância's settings; never a second code, at most a second try of the same message. */
  async function deliver(input: { clienteId: string; instancia: 1 | 2; canal: Canal; destino: string; variaveis: Variaveis; teste: boolean; correlationId?: string | undefined }): Promise<ResultadoEnvio & { semProvedor: boolean }> {
    const envio = await repo.find(input.clienteId, input.instancia);
    const config = envio?.config ?? defaultConfig();
    const from = { clienteId: input.clienteId, instancia: input.instancia };
    const requireHttps = input.instancia === 2;

    if (input.canal === 'sms') {
      const e164 = paraE164(input.destino);
      if (!e164) {
        const message = 'O número de celular deste contato não é válido, então o código não foi enviado. Escolha outro contato.';
        throw new AppError('VALIDATION_FAILED', message, { details: [{ field: input.teste ? 'destino' : 'contatoId', message }] });
      }
      const texto = contarSms(preencher(config.modelos.sms, input.variaveis)).texto;
      const destinoMascarado = mascararTelefone(e164);
      if (config.sms.provedor === 'nenhum') {
        await deps.semProvedor.sms.send(input.teste ? e164 : input.destino.replace(/\D/g, ''), texto, from);
        return { ok: true, canal: 'sms', provedor: 'caixa-de-saida', destino: destinoMascarado, latenciaMs: 0, tentativas: 1, erro: null, semProvedor: true };
      }
      const sms: SmsProvedorConfigurado = config.sms;
      const segredos = openSmsSecrets(deps.secretBox, envio) ?? {};
      const { last, tentativas, latencia } = await withOneRetry(
        () => provedores.enviar(sms, segredos, e164, texto, requireHttps),
        (t, n) => record({ ...input, provedor: sms.provedor, destinoMascarado, tentativa: n }, t),
      );
      return { ok: last.ok, canal: 'sms', provedor: sms.provedor, destino: destinoMascarado, latenciaMs: latencia, tentativas, erro: last.ok ? null : (last.erro ?? null), semProvedor: false };
    }

    const to = input.destino.trim();
    const destinoMascarado = mascararEmail(to);
    const subject = preencher(config.modelos.emailAssunto, input.variaveis);
    const text = preencher(config.modelos.emailTexto, input.variaveis);
    const ownUrl = openSmtpUrl(deps.secretBox, envio);
    const smtpUrl = ownUrl ?? deps.plataforma.smtpUrl;
    if (!smtpUrl) {
      await deps.semProvedor.email.send({ to, subject, text }, from);
      return { ok: true, canal: 'email', provedor: 'caixa-de-saida', destino: destinoMascarado, latenciaMs: 0, tentativas: 1, erro: null, semProvedor: true };
    }
    const sender = config.email.remetenteEndereco ? fromHeader(config.email.remetenteNome, config.email.remetenteEndereco) : deps.plataforma.smtpFrom;
    const provedor = ownUrl ? 'smtp-cliente' : 'smtp-plataforma';
    const message = { from: sender, to, subject, text, html: emailHtml(config.modelos.emailTexto, input.variaveis) };
    const { last, tentativas, latencia } = await withOneRetry(
      () => smtpAttempt(smtpUrl, ownUrl !== undefined, message, { clock: deps.clock, allowlist: deps.allowlist }),
      (t, n) => record({ ...input, provedor, destinoMascarado, tentativa: n }, t),
    );
    return { ok: last.ok, canal: 'email', provedor, destino: destinoMascarado, latenciaMs: latencia, tentativas, erro: last.ok ? null : (last.erro ?? null), semProvedor: false };
  }

  return {
    async get(clienteId: string, instancia: 1 | 2) {
      const envio = await repo.find(clienteId, instancia);
      return { envio, config: envio?.config ?? defaultConfig(), segredoSmsDefinido: openSmsSecrets(deps.secretBox, envio) !== undefined, smtpProprioDefinido: envio?.smtpUrlSelado != null, app: await deps.clienteNome(clienteId) };
    },

    async save(input: EnvioInput & { clienteId: string; instancia: 1 | 2; actor: AuditActor }) {
      const previous = await repo.find(input.clienteId, input.instancia);
      const app = await deps.clienteNome(input.clienteId);
      const details: ErrorDetail[] = [];
      const { sms, segredos } = buildSmsConfig(input, previous, input.instancia, details, { secretBox: deps.secretBox, allowlist: deps.allowlist });
      checkModelos(input.modelos, app, details);
      const endereco = input.email.remetenteEndereco?.trim() || null;
      const nome = input.email.remetenteNome?.trim() || null;
      if (nome && !endereco) details.push({ field: 'email.remetenteEndereco', message: 'Informe o endereço do remetente.' });
      let smtpUrlSelado = previous?.smtpUrlSelado ?? null;
      if (input.email.smtpUrl === null) smtpUrlSelado = null;
      else if (input.email.smtpUrl !== undefined) {
        const problem = smtpUrlProblem(input.email.smtpUrl.trim(), deps.allowlist);
        if (problem) details.push({ field: 'email.smtpUrl', message: `Servidor SMTP recusado: ${problem}.` });
        else smtpUrlSelado = deps.secretBox.seal(input.email.smtpUrl.trim(), envioMensagensAad.smtp(input.clienteId, input.instancia));
      }
      if (smtpUrlSelado && !endereco) details.push({ field: 'email.remetenteEndereco', message: 'Com um servidor SMTP próprio, informe o endereço do remetente.' });
      if (details.length > 0) throw new AppError('VALIDATION_FAILED', undefined, { details });

      const now = deps.clock.now();
      const smsDestino = destinoDe(sms);
      const config: EnvioConfig = { sms, email: { remetenteNome: nome, remetenteEndereco: endereco }, modelos: { ...input.modelos }, smsDestino };
      const envio: EnvioMensagens = {
        id: previous?.id ?? newId('envioMensagens'),
        clienteId: input.clienteId,
        instancia: input.instancia,
        config,
        smsSegredosSelado: segredos && smsDestino ? deps.secretBox.seal(JSON.stringify(segredos), envioMensagensAad.sms(input.clienteId, input.instancia, smsDestino)) : null,
        smtpUrlSelado,
        updatedBy: input.actor.userId,
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      };
      await deps.db.transaction().execute(async (trx) => {
        await repo.upsert(envio, trx);
        await deps.audit.record(
          {
            clienteId: input.clienteId,
            instancia: input.instancia,
            actor: input.actor,
            action: 'envio-mensagens.alterado',
            targetType: 'envio-mensagens',
            targetId: `${input.clienteId}:${input.instancia}`,
            ...(previous ? { before: describeForAudit(previous.config, { sms: previous.smsSegredosSelado !== null, smtp: previous.smtpUrlSelado !== null }) } : {}),
            after: describeForAudit(config, { sms: envio.smsSegredosSelado !== null, smtp: envio.smtpUrlSelado !== null }),
          },
          trx,
        );
      });
      return { envio, config, segredoSmsDefinido: envio.smsSegredosSelado !== null, smtpProprioDefinido: smtpUrlSelado !== null, app };
    },

    /** "Enviar mensagem de teste": the saved settings, the code template with an example code, to what the admin typed. */
    async testar(input: { clienteId: string; instancia: 1 | 2; canal: Canal; destino: string; actor: AuditActor; correlationId?: string | undefined }): Promise<ResultadoEnvio> {
      await deps.limiter.consume(
        [{ key: `envio-mensagens:teste:${input.clienteId}:${input.instancia}`, max: envioLimits.testesPorJanela, windowSeconds: envioLimits.janelaTestesSeconds }],
        `Limite de ${envioLimits.testesPorJanela} mensagens de teste a cada ${envioLimits.janelaTestesSeconds / 60} minutos atingido. Aguarde para testar de novo.`,
      );
      const app = await deps.clienteNome(input.clienteId);
      let result: ResultadoEnvio;
      try {
        const { semProvedor: _, ...rest } = await deliver({ ...input, variaveis: exemploVariaveis(app), teste: true });
        result = rest;
      } catch (error) {
        // Without a provider in production, the fallback refuses: shown as the test's result.
        if (error instanceof AppError && error.code === 'SERVICE_UNAVAILABLE') {
          result = { ok: false, canal: input.canal, provedor: 'nenhum', destino: input.canal === 'sms' ? mascararTelefone(paraE164(input.destino) ?? input.destino) : mascararEmail(input.destino), latenciaMs: 0, tentativas: 0, erro: error.message };
        } else throw error;
      }
      await deps.audit.record({
        clienteId: input.clienteId,
        instancia: input.instancia,
        actor: input.actor,
        action: 'envio-mensagens.teste',
        targetType: 'envio-mensagens',
        targetId: `${input.clienteId}:${input.instancia}`,
        after: { canal: result.canal, provedor: result.provedor, destino: result.destino, ok: result.ok, erro: result.erro },
      });
      return result;
    },

    /**
     * Sends a recovery code to a contact of the beneficiary. An invalid phone number is refused
     * before any send (VALIDATION_FAILED); a provider that fails — after one more try of the same
     * message when the failure was transient — is a 503 in Portuguese that tells the app to try
     * again or pick the other contact.
     */
    async enviarCodigo(input: { app: { clienteId: string; clienteNome: string; instancia: 1 | 2 }; canal: Canal; destino: string; codigo: string; validadeMinutos: number; correlationId?: string | undefined }): Promise<void> {
      const result = await deliver({
        clienteId: input.app.clienteId,
        instancia: input.app.instancia,
        canal: input.canal,
        destino: input.destino,
        variaveis: { app: input.app.clienteNome, codigo: input.codigo, validade: String(input.validadeMinutos) },
        teste: false,
        correlationId: input.correlationId,
      });
      if (!result.ok) {
        const via = input.canal === 'sms' ? 'por SMS' : 'por e-mail';
        const outro = input.canal === 'sms' ? 'escolha o e-mail, se houver' : 'escolha o celular, se houver';
        throw new AppError('SERVICE_UNAVAILABLE', `Não foi possível enviar o código ${via} agora. Tente novamente em instantes ou ${outro}.`, { retryAfterSeconds: RETRY_AFTER_SECONDS });
      }
    },

    nomeProvedor,
  };
}

export type EnvioMensagensService = ReturnType<typeof createEnvioMensagensService>;
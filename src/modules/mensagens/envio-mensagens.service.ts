import { lookup } from 'node:dns/promises';
import { createTransport } from 'nodemailer';
import type { Clock } from '../../platform/clock.ts';
import { originOf, type SecretBox } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';
import type { AttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import { isForbiddenHeaderName, isValidHeaderName, isValidHeaderValue } from '../../platform/http/header-names.ts';
import type { OutboundResult } from '../../platform/http-client/http-client.ts';
import { addressProblem, urlProblem, type CidrList } from '../../platform/http-client/ssrf-guard.ts';
import { newId } from '../../platform/ids.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import type { LogCenterWriter } from '../log-center/log-center.types.ts';
import type { Outcome } from '../log-center/log-center.types.ts';
import type { EnvioHttp } from './envio-http.ts';
import type { EnvioConfig, EnvioMensagens, EnvioMensagensRepo, HeaderGateway, SmsConfig, SmsSegredos } from './envio-mensagens.repo.ts';
import { emailHtml, exemploVariaveis, modelosPadrao, placeholdersDesconhecidos, preencher, previaSms, type Modelos, type Variaveis } from './modelos.ts';
import { corpoGateway, createProvedoresSms, enderecosPadrao, type SmsProvedorConfigurado, type Tentativa } from './provedores-sms.ts';
import { mascararEmail, mascararTelefone, paraE164 } from './telefone.ts';
import { contarSms } from './sms-texto.ts';

export const envioLimits = { defaultTimeoutMs: 10_000, minTimeoutMs: 1_000, maxTimeoutMs: 30_000, maxHeaders: 20, testesPorJanela: 5, janelaTestesSeconds: 10 * 60 } as const;

/** Seconds the app is told to wait after a failed send (`Retry-After`). */
const RETRY_AFTER_SECONDS = 30;
const SMTP_TIMEOUT_MS = 10_000;

/** The settings as the painel sends them. Secrets: given → replaced; absent → kept (same provider and origin only). */
export type EnvioInput = {
  sms:
    | { provedor: 'nenhum' }
    | { provedor: 'http'; url: string; metodo: 'POST' | 'PUT'; formato: 'json' | 'form'; corpo: string; headers: { nome: string; secreto: boolean; valor?: string | undefined }[]; sucessoCampo?: string | null | undefined; timeoutMs?: number | undefined }
    | { provedor: 'zenvia'; url?: string | null | undefined; remetente: string; apiToken?: string | undefined; timeoutMs?: number | undefined }
    | { provedor: 'twilio'; url?: string | null | undefined; accountSid: string; remetente: string; authToken?: string | undefined; timeoutMs?: number | undefined }
    | { provedor: 'sns'; url?: string | null | undefined; regiao: string; accessKeyId: string; secretAccessKey?: string | undefined; remetente?: string | null | undefined; timeoutMs?: number | undefined };
  email: { remetenteNome?: string | null | undefined; remetenteEndereco?: string | null | undefined; /** A string replaces, null removes, absent keeps. */ smtpUrl?: string | null | undefined };
  modelos: Modelos;
};

/** What the delivery falls back to when the instância has no provider of its own (the development outbox, or a clear refusal in production). */
export type SemProvedor = {
  sms: { send(to: string, text: string, from: { clienteId: string; instancia: 1 | 2 }): Promise<void> };
  email: { send(message: { to: string; subject: string; text: string }, from: { clienteId: string; instancia: 1 | 2 }): Promise<void> };
};

export type Canal = 'sms' | 'email';

export type ResultadoEnvio = { ok: boolean; canal: Canal; provedor: string; destino: string; latenciaMs: number; tentativas: number; erro: string | null };

const smsAad = (clienteId: string, instancia: number, origin: string) => `envio-mensagens:${clienteId}:${instancia}:sms:${origin}`;
const smtpAad = (clienteId: string, instancia: number) => `envio-mensagens:${clienteId}:${instancia}:smtp`;
/** The associated data of the sealed columns (sealed-columns.ts re-seals them on a key rotation). */
export const envioMensagensAad = { sms: smsAad, smtp: smtpAad };

const defaultConfig = (): EnvioConfig => ({ sms: { provedor: 'nenhum' }, email: { remetenteNome: null, remetenteEndereco: null }, modelos: { ...modelosPadrao }, smsDestino: null });

/** The origin SMS secrets are bound to: the provider's URL. */
function destinoDe(sms: SmsConfig): string | null {
  if (sms.provedor === 'nenhum') return null;
  return originOf(sms.url) ?? `url-invalida:${sms.url}`;
}

const secretFieldOf = { zenvia: 'apiToken', twilio: 'authToken', sns: 'secretAccessKey' } as const;
const nomeProvedor: Record<SmsConfig['provedor'], string> = { nenhum: 'nenhum', http: 'Gateway HTTP', zenvia: 'Zenvia', twilio: 'Twilio', sns: 'Amazon SNS' };

/** `Nome <endereco>` with the name quoted when needed; what nodemailer puts in `From`. */
function fromHeader(nome: string | null, endereco: string): string {
  if (!nome) return endereco;
  return /^[\w .-]+$/.test(nome) ? `${nome} <${endereco}>` : `"${nome.replace(/["\\]/g, '')}" <${endereco}>`;
}

/** `smtp://user:pass@host:port` → what nodemailer and the log need; undefined when it does not parse. */
function parseSmtpUrl(raw: string): { secure: boolean; host: string; port: number; user?: string; pass?: string } | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return undefined;
    const secure = url.protocol === 'smtps:';
    return {
      secure,
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      ...(url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : {}),
    };
  } catch {
    return undefined;
  }
}

function smtpUrlProblem(raw: string, allowlist: CidrList): string | undefined {
  const parsed = parseSmtpUrl(raw);
  if (!parsed || !parsed.host) return 'deve ser uma URL smtp://usuario:senha@host:porta (ou smtps:// para TLS direto)';
  if (/^[0-9.]+$/.test(parsed.host) || parsed.host.includes(':')) return addressProblem(parsed.host, allowlist);
  if (parsed.host === 'localhost' || parsed.host.endsWith('.localhost')) return addressProblem('127.0.0.1', allowlist);
  return undefined;
}

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

  function openSmsSecrets(envio: EnvioMensagens | undefined): SmsSegredos | undefined {
    if (!envio?.smsSegredosSelado || !envio.config.smsDestino) return undefined;
    try {
      return JSON.parse(deps.secretBox.open(envio.smsSegredosSelado, smsAad(envio.clienteId, envio.instancia, envio.config.smsDestino))) as SmsSegredos;
    } catch {
      return undefined;
    }
  }

  function openSmtpUrl(envio: EnvioMensagens | undefined): string | undefined {
    if (!envio?.smtpUrlSelado) return undefined;
    try {
      return deps.secretBox.open(envio.smtpUrlSelado, smtpAad(envio.clienteId, envio.instancia));
    } catch {
      return undefined;
    }
  }

  /** Checks the input and builds what is stored; problems go to `details`. */
  function build(input: EnvioInput, previous: EnvioMensagens | undefined, instancia: 1 | 2, app: string, details: ErrorDetail[]): { sms: SmsConfig; segredos: SmsSegredos | null } {
    const requireHttps = instancia === 2;
    const checkUrl = (url: string) => {
      const problem = urlProblem(url, { requireHttps, allowlist: deps.allowlist });
      if (problem) details.push({ field: 'sms.url', message: `URL recusada: ${problem}.` });
    };
    const timeoutMs = ('timeoutMs' in input.sms && input.sms.timeoutMs) || envioLimits.defaultTimeoutMs;
    let sms: SmsConfig;
    switch (input.sms.provedor) {
      case 'nenhum':
        return { sms: { provedor: 'nenhum' }, segredos: null };
      case 'http': {
        const i = input.sms;
        sms = { provedor: 'http', url: i.url.trim(), metodo: i.metodo, formato: i.formato, corpo: i.corpo, headers: [], sucessoCampo: i.sucessoCampo?.trim() || null, timeoutMs };
        break;
      }
      case 'zenvia':
        sms = { provedor: 'zenvia', url: input.sms.url?.trim() || enderecosPadrao.zenvia, remetente: input.sms.remetente.trim(), timeoutMs };
        break;
      case 'twilio':
        sms = { provedor: 'twilio', url: input.sms.url?.trim() || enderecosPadrao.twilio, accountSid: input.sms.accountSid.trim(), remetente: input.sms.remetente.trim(), timeoutMs };
        break;
      case 'sns':
        sms = {
          provedor: 'sns',
          url: input.sms.url?.trim() || enderecosPadrao.sns(input.sms.regiao.trim()),
          regiao: input.sms.regiao.trim(),
          accessKeyId: input.sms.accessKeyId.trim(),
          remetente: input.sms.remetente?.trim() || null,
          timeoutMs,
        };
        break;
    }
    checkUrl(sms.url);
    const destino = destinoDe(sms);
    const sameOrigin = previous !== undefined && previous.config.sms.provedor === sms.provedor && previous.config.smsDestino === destino;
    const kept = sameOrigin ? openSmsSecrets(previous) : undefined;
    const segredos: SmsSegredos = {};

    if (sms.provedor === 'http' && input.sms.provedor === 'http') {
      if (!/\{\{\s*destino\s*\}\}/.test(input.sms.corpo) || !/\{\{\s*texto\s*\}\}/.test(input.sms.corpo)) {
        details.push({ field: 'sms.corpo', message: 'O corpo deve conter {{destino}} (o número em E.164) e {{texto}} (a mensagem).' });
      } else if (input.sms.formato === 'json') {
        try {
          JSON.parse(corpoGateway('json', input.sms.corpo, { destino: '+5511990000001', texto: 'Mensagem "de" teste' }));
        } catch {
          details.push({ field: 'sms.corpo', message: 'O corpo não é um JSON válido. Escreva os marcadores entre aspas, como "{{texto}}".' });
        }
      }
      if (sms.sucessoCampo && !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(sms.sucessoCampo)) {
        details.push({ field: 'sms.sucessoCampo', message: 'Informe o caminho do campo com pontos, como "resultado.enviado".' });
      }
      const seen = new Set<string>();
      const headers: HeaderGateway[] = [];
      const secretHeaders: Record<string, string> = {};
      input.sms.headers.forEach((h, index) => {
        const nome = h.nome.trim();
        const field = `sms.headers[${index}]`;
        if (!isValidHeaderName(nome)) details.push({ field: `${field}.nome`, message: `"${nome.slice(0, 60)}" não é um nome de header HTTP válido.` });
        else if (isForbiddenHeaderName(nome) || nome.toLowerCase() === 'content-type') details.push({ field: `${field}.nome`, message: `"${nome}" é definido pela Ponte e não pode ser configurado.` });
        else if (seen.has(nome.toLowerCase())) details.push({ field: `${field}.nome`, message: `O header "${nome}" aparece mais de uma vez.` });
        seen.add(nome.toLowerCase());
        if (h.valor !== undefined && !isValidHeaderValue(h.valor)) details.push({ field: `${field}.valor`, message: 'O valor não pode conter quebras de linha nem caracteres de controle.' });
        if (!h.secreto) {
          headers.push({ nome, secreto: false, valor: h.valor ?? '' });
          return;
        }
        headers.push({ nome, secreto: true });
        const value = h.valor ?? kept?.headers?.[nome.toLowerCase()];
        if (value === undefined) {
          details.push({ field: `${field}.valor`, message: sameOrigin || !previous ? `Informe o valor do header secreto "${nome}".` : `O endereço do gateway mudou: digite de novo o valor do header secreto "${nome}".` });
        } else secretHeaders[nome.toLowerCase()] = value;
      });
      sms.headers = headers;
      segredos.headers = secretHeaders;
      return { sms, segredos };
    }

    const field = secretFieldOf[sms.provedor as keyof typeof secretFieldOf];
    const given = (input.sms as Record<string, unknown>)[field] as string | undefined;
    const token = given ?? kept?.token;
    if (!token) {
      const label = { apiToken: 'o token da API (X-API-TOKEN)', authToken: 'o Auth Token', secretAccessKey: 'a Secret Access Key' }[field];
      details.push({ field: `sms.${field}`, message: previous && !sameOrigin && previous.config.sms.provedor === sms.provedor ? `O endereço do provedor mudou: digite de novo ${label}.` : `Informe ${label}.` });
    }
    if (sms.provedor === 'twilio' && !/^AC[0-9a-fA-F]{32}$/.test(sms.accountSid)) details.push({ field: 'sms.accountSid', message: 'O Account SID da Twilio começa com AC seguido de 32 caracteres hexadecimais.' });
    if (sms.provedor === 'sns' && !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(sms.regiao)) details.push({ field: 'sms.regiao', message: 'Informe uma região da AWS, como sa-east-1 ou us-east-1.' });
    if (sms.provedor === 'sns' && sms.remetente && !/^[A-Za-z0-9-]{1,11}$/.test(sms.remetente)) details.push({ field: 'sms.remetente', message: 'O Sender ID tem até 11 letras, números ou hífens.' });
    segredos.token = token;
    void app;
    return { sms, segredos };
  }

  function checkModelos(modelos: Modelos, app: string, details: ErrorDetail[]) {
    for (const [key, text] of Object.entries(modelos) as [keyof Modelos, string][]) {
      const unknown = placeholdersDesconhecidos(text);
      if (unknown.length > 0) details.push({ field: `modelos.${key}`, message: `Marcador desconhecido: {{${unknown[0]}}}. Use {{app}}, {{codigo}} e {{validade}}.` });
    }
    if (!/\{\{\s*codigo\s*\}\}/.test(modelos.sms)) details.push({ field: 'modelos.sms', message: 'A mensagem deve conter {{codigo}}.' });
    if (!/\{\{\s*codigo\s*\}\}/.test(modelos.emailTexto)) details.push({ field: 'modelos.emailTexto', message: 'O e-mail deve conter {{codigo}}.' });
    if (/[\r\n]/.test(modelos.emailAssunto)) details.push({ field: 'modelos.emailAssunto', message: 'O assunto deve ter uma linha só.' });
    const previa = previaSms(modelos.sms, app);
    if (previa.segmentos > 1) {
      details.push({
        field: 'modelos.sms',
        message: `A mensagem teria ${previa.caracteres} caracteres (${previa.codificacao === 'gsm7' ? 'GSM-7' : 'com caracteres especiais, UCS-2'}), mais que ${previa.limite}: ela chegaria dividida em ${previa.segmentos} partes. Encurte o texto.`,
      });
    }
  }

  /** What the audit log keeps: no secret, only whether each is set. */
  const describe = (config: EnvioConfig, segredos: { sms: boolean; smtp: boolean }) => ({
    sms: config.sms.provedor === 'http' ? { ...config.sms, headers: config.sms.headers.map((h) => ({ nome: h.nome, valor: h.secreto ? '***' : h.valor })) } : config.sms,
    email: config.email,
    modelos: config.modelos,
    segredoSmsDefinido: segredos.sms,
    smtpProprio: segredos.smtp,
  });

  function record(input: { clienteId: string; instancia: 1 | 2; canal: Canal; provedor: string; destinoMascarado: string; tentativa: number; teste: boolean; correlationId?: string | undefined }, attempt: Tentativa) {
    const { result } = attempt;
    let outcome: Outcome;
    if (attempt.ok) outcome = 'sucesso';
    else if (result.kind === 'failure') outcome = result.reason === 'url_bloqueada' || result.reason === 'endereco_bloqueado' ? 'bloqueado' : 'falha_comunicacao';
    else outcome = result.status >= 500 ? 'falha_comunicacao' : 'recusado_pela_operadora';
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

  /** Calls `attempt`; once more after a transient failure (timeout, connection, 5xx) with the very same message. */
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

  async function smtpAttempt(rawUrl: string, own: boolean, message: { from: string; to: string; subject: string; text: string; html: string }): Promise<Tentativa> {
    const startedAt = deps.clock.now();
    const parsed = parseSmtpUrl(rawUrl);
    const url = parsed ? `${parsed.secure ? 'smtps' : 'smtp'}://${parsed.host}:${parsed.port}` : 'smtp://';
    const failure = (reason: 'url_bloqueada' | 'endereco_bloqueado' | 'falha_conexao' | 'tempo_esgotado', text: string): Tentativa => ({
      url,
      result: { kind: 'failure', reason, message: text, latencyMs: deps.clock.now() - startedAt },
      ok: false,
      transitoria: reason === 'falha_conexao' || reason === 'tempo_esgotado',
      erro: text,
    });
    if (!parsed) return failure('url_bloqueada', 'A URL do servidor SMTP não é válida.');
    let host = parsed.host;
    if (own) {
      // The cliente's own server is an address typed in the painel: the SSRF rules apply, on the address connected to.
      const problem = smtpUrlProblem(rawUrl, deps.allowlist);
      if (problem) return failure('url_bloqueada', `Servidor SMTP recusado: ${problem}.`);
      try {
        const addresses = await lookup(parsed.host, { all: true });
        const blocked = addresses.map((a) => addressProblem(a.address, deps.allowlist)).find((p) => p !== undefined);
        if (blocked) return failure('endereco_bloqueado', `Servidor SMTP bloqueado: ${blocked}.`);
        host = addresses[0]!.address;
      } catch {
        return failure('falha_conexao', `O nome ${parsed.host} não pôde ser resolvido.`);
      }
    }
    const transport = createTransport({
      host,
      port: parsed.port,
      secure: parsed.secure,
      ...(parsed.user ? { auth: { user: parsed.user, pass: parsed.pass ?? '' } } : {}),
      tls: { servername: parsed.host },
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    });
    try {
      const info = await transport.sendMail(message);
      return { url, result: { kind: 'response', status: 250, statusText: 'OK', headers: {}, bodyText: '', latencyMs: deps.clock.now() - startedAt }, ok: true, transitoria: false, idMensagem: info.messageId };
    } catch (error) {
      const err = error as Error & { code?: string; responseCode?: number; response?: string };
      if (err.responseCode) {
        const erro = `SMTP ${err.responseCode}: ${(err.response ?? err.message).slice(0, 300)}`;
        return { url, result: { kind: 'response', status: err.responseCode, statusText: err.code ?? '', headers: {}, bodyText: '', latencyMs: deps.clock.now() - startedAt }, ok: false, transitoria: err.responseCode < 500, erro };
      }
      if (err.code === 'ETIMEDOUT') return failure('tempo_esgotado', 'O servidor SMTP não respondeu dentro do tempo limite.');
      return failure('falha_conexao', `A conexão com o servidor SMTP falhou (${err.code ?? err.name}).`);
    } finally {
      transport.close();
    }
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
      const segredos = openSmsSecrets(envio) ?? {};
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
    const ownUrl = openSmtpUrl(envio);
    const smtpUrl = ownUrl ?? deps.plataforma.smtpUrl;
    if (!smtpUrl) {
      await deps.semProvedor.email.send({ to, subject, text }, from);
      return { ok: true, canal: 'email', provedor: 'caixa-de-saida', destino: destinoMascarado, latenciaMs: 0, tentativas: 1, erro: null, semProvedor: true };
    }
    const sender = config.email.remetenteEndereco ? fromHeader(config.email.remetenteNome, config.email.remetenteEndereco) : deps.plataforma.smtpFrom;
    const provedor = ownUrl ? 'smtp-cliente' : 'smtp-plataforma';
    const message = { from: sender, to, subject, text, html: emailHtml(config.modelos.emailTexto, input.variaveis) };
    const { last, tentativas, latencia } = await withOneRetry(
      () => smtpAttempt(smtpUrl, ownUrl !== undefined, message),
      (t, n) => record({ ...input, provedor, destinoMascarado, tentativa: n }, t),
    );
    return { ok: last.ok, canal: 'email', provedor, destino: destinoMascarado, latenciaMs: latencia, tentativas, erro: last.ok ? null : (last.erro ?? null), semProvedor: false };
  }

  return {
    async get(clienteId: string, instancia: 1 | 2) {
      const envio = await repo.find(clienteId, instancia);
      return { envio, config: envio?.config ?? defaultConfig(), segredoSmsDefinido: openSmsSecrets(envio) !== undefined, smtpProprioDefinido: envio?.smtpUrlSelado != null, app: await deps.clienteNome(clienteId) };
    },

    async save(input: EnvioInput & { clienteId: string; instancia: 1 | 2; actor: AuditActor }) {
      const previous = await repo.find(input.clienteId, input.instancia);
      const app = await deps.clienteNome(input.clienteId);
      const details: ErrorDetail[] = [];
      const { sms, segredos } = build(input, previous, input.instancia, app, details);
      checkModelos(input.modelos, app, details);
      const endereco = input.email.remetenteEndereco?.trim() || null;
      const nome = input.email.remetenteNome?.trim() || null;
      if (nome && !endereco) details.push({ field: 'email.remetenteEndereco', message: 'Informe o endereço do remetente.' });
      let smtpUrlSelado = previous?.smtpUrlSelado ?? null;
      if (input.email.smtpUrl === null) smtpUrlSelado = null;
      else if (input.email.smtpUrl !== undefined) {
        const problem = smtpUrlProblem(input.email.smtpUrl.trim(), deps.allowlist);
        if (problem) details.push({ field: 'email.smtpUrl', message: `Servidor SMTP recusado: ${problem}.` });
        else smtpUrlSelado = deps.secretBox.seal(input.email.smtpUrl.trim(), smtpAad(input.clienteId, input.instancia));
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
        smsSegredosSelado: segredos && smsDestino ? deps.secretBox.seal(JSON.stringify(segredos), smsAad(input.clienteId, input.instancia, smsDestino)) : null,
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
            ...(previous ? { before: describe(previous.config, { sms: previous.smsSegredosSelado !== null, smtp: previous.smtpUrlSelado !== null }) } : {}),
            after: describe(config, { sms: envio.smsSegredosSelado !== null, smtp: envio.smtpUrlSelado !== null }),
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

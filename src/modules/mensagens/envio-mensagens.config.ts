/**
 * The saved "Envio de mensagens" settings of one instância: their limits and defaults, how the
 * painel's input is checked and turned into what is stored (SMS provider, SMTP URL, templates),
 * the associated data the secrets are sealed under and how they are opened again, and what the
 * audit log keeps of them. Plain functions: what they need (the secret box, the SSRF allowlist) is
 * passed in. Saving and sending are orchestrated by envio-mensagens.service.ts.
 */
import { originOf, type SecretBox } from '../../platform/crypto.ts';
import type { ErrorDetail } from '../../platform/errors.ts';
import { isForbiddenHeaderName, isValidHeaderName, isValidHeaderValue } from '../../platform/http/header-names.ts';
import { addressProblem, urlProblem, type CidrList } from '../../platform/http-client/ssrf-guard.ts';
import type { EnvioConfig, EnvioMensagens, HeaderGateway, SmsConfig, SmsSegredos } from './envio-mensagens.repo.ts';
import { modelosPadrao, placeholdersDesconhecidos, previaSms, type Modelos } from './modelos.ts';
import { corpoGateway, enderecosPadrao } from './provedores-sms.ts';

/** Limits of the settings (the schemas check them) and of the painel's test messages. */
export const envioLimits = { defaultTimeoutMs: 10_000, minTimeoutMs: 1_000, maxTimeoutMs: 30_000, maxHeaders: 20, testesPorJanela: 5, janelaTestesSeconds: 10 * 60 } as const;

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

const smsAad = (clienteId: string, instancia: number, origin: string) => `envio-mensagens:${clienteId}:${instancia}:sms:${origin}`;
const smtpAad = (clienteId: string, instancia: number) => `envio-mensagens:${clienteId}:${instancia}:smtp`;
/** The associated data of the sealed columns (sealed-columns.ts re-seals them on a key rotation). */
export const envioMensagensAad = { sms: smsAad, smtp: smtpAad };

export const defaultConfig = (): EnvioConfig => ({ sms: { provedor: 'nenhum' }, email: { remetenteNome: null, remetenteEndereco: null }, modelos: { ...modelosPadrao }, smsDestino: null });

/** The origin SMS secrets are bound to: the provider's URL. */
export function destinoDe(sms: SmsConfig): string | null {
  if (sms.provedor === 'nenhum') return null;
  return originOf(sms.url) ?? `url-invalida:${sms.url}`;
}

const secretFieldOf = { zenvia: 'apiToken', twilio: 'authToken', sns: 'secretAccessKey' } as const;
/** The provider's name as the painel shows it. */
export const nomeProvedor: Record<SmsConfig['provedor'], string> = { nenhum: 'nenhum', http: 'Gateway HTTP', zenvia: 'Zenvia', twilio: 'Twilio', sns: 'Amazon SNS' };

/** `Nome <endereco>` with the name quoted when needed; what nodemailer puts in `From`. */
export function fromHeader(nome: string | null, endereco: string): string {
  if (!nome) return endereco;
  return /^[\w .-]+$/.test(nome) ? `${nome} <${endereco}>` : `"${nome.replace(/["\\]/g, '')}" <${endereco}>`;
}

/** `smtp://user:pass@host:port` → what nodemailer and the log need; undefined when it does not parse. */
export function parseSmtpUrl(raw: string): { secure: boolean; host: string; port: number; user?: string; pass?: string } | undefined {
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

/** Why an SMTP URL typed in the painel is refused (it does not parse, or its host is a blocked address); undefined when it is accepted. */
export function smtpUrlProblem(raw: string, allowlist: CidrList): string | undefined {
  const parsed = parseSmtpUrl(raw);
  if (!parsed || !parsed.host) return 'deve ser uma URL smtp://usuario:senha@host:porta (ou smtps:// para TLS direto)';
  if (/^[0-9.]+$/.test(parsed.host) || parsed.host.includes(':')) return addressProblem(parsed.host, allowlist);
  if (parsed.host === 'localhost' || parsed.host.endsWith('.localhost')) return addressProblem('127.0.0.1', allowlist);
  return undefined;
}

/** The SMS provider's secrets of a saved configuration; undefined when there are none or they do not open. */
export function openSmsSecrets(secretBox: SecretBox, envio: EnvioMensagens | undefined): SmsSegredos | undefined {
  if (!envio?.smsSegredosSelado || !envio.config.smsDestino) return undefined;
  try {
    return JSON.parse(secretBox.open(envio.smsSegredosSelado, smsAad(envio.clienteId, envio.instancia, envio.config.smsDestino))) as SmsSegredos;
  } catch {
    return undefined;
  }
}

/** The instância's own SMTP URL; undefined when it has none or it does not open. */
export function openSmtpUrl(secretBox: SecretBox, envio: EnvioMensagens | undefined): string | undefined {
  if (!envio?.smtpUrlSelado) return undefined;
  try {
    return secretBox.open(envio.smtpUrlSelado, smtpAad(envio.clienteId, envio.instancia));
  } catch {
    return undefined;
  }
}

/**
 * Checks the SMS part of the input and builds what is stored: the provider's settings and its
 * secrets (a secret not given is kept from `previous` when the provider and its origin are the same).
 * Problems go to `details`.
 */
export function buildSmsConfig(
  input: EnvioInput,
  previous: EnvioMensagens | undefined,
  instancia: 1 | 2,
  details: ErrorDetail[],
  deps: { secretBox: SecretBox; allowlist: CidrList },
): { sms: SmsConfig; segredos: SmsSegredos | null } {
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
  const kept = sameOrigin ? openSmsSecrets(deps.secretBox, previous) : undefined;
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
  return { sms, segredos };
}

/** Checks the message templates (known placeholders, the code present, an SMS of one segment); problems go to `details`. */
export function checkModelos(modelos: Modelos, app: string, details: ErrorDetail[]) {
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
export const describeForAudit = (config: EnvioConfig, segredos: { sms: boolean; smtp: boolean }) => ({
  sms: config.sms.provedor === 'http' ? { ...config.sms, headers: config.sms.headers.map((h) => ({ nome: h.nome, valor: h.secreto ? '***' : h.valor })) } : config.sms,
  email: config.email,
  modelos: config.modelos,
  segredoSmsDefinido: segredos.sms,
  smtpProprio: segredos.smtp,
});

import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { Clock } from '../../platform/clock.ts';
import type { OutboundResult } from '../../platform/http-client/http-client.ts';
import { createGuardedLookup, OutboundAddressBlocked, urlProblem, type CidrList } from '../../platform/http-client/ssrf-guard.ts';
import type { EnvioHttp } from './envio-http.ts';
import type { SmsConfig, SmsSegredos } from './envio-mensagens.repo.ts';

/** Where each preset's API lives by default (the painel shows it; a stand-in or a proxy may replace it). */
export const enderecosPadrao = {
  zenvia: 'https://api.zenvia.com',
  twilio: 'https://api.twilio.com',
  sns: (regiao: string) => `https://sns.${regiao}.amazonaws.com`,
} as const;

/** One attempt at a provider, as the central de logs and the retry rule read it. */
export type Tentativa = {
  /** What was called (no credentials: they travel in headers or the SDK's signature). */
  url: string;
  result: OutboundResult;
  ok: boolean;
  /** A timeout, a connection failure or a 5xx: worth one more try with the same code. */
  transitoria: boolean;
  /** The provider's own words on a failure (kept, masked, in the central de logs). */
  erro?: string | undefined;
  idMensagem?: string | undefined;
};

export type SmsProvedorConfigurado = Exclude<SmsConfig, { provedor: 'nenhum' }>;

/** `base` + `suffix`, joined on the path: `https://h/api/` + `/v2/x` is `https://h/api/v2/x`. */
export function juntarCaminho(base: string, suffix: string): string {
  try {
    const url = new URL(base);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${suffix}`;
    return url.href;
  } catch {
    return `${base.replace(/\/+$/, '')}${suffix}`;
  }
}

/** The URL a provider is called at. */
export function urlDoProvedor(config: SmsProvedorConfigurado): string {
  switch (config.provedor) {
    case 'http':
      return config.url;
    case 'zenvia':
      return juntarCaminho(config.url, '/v2/channels/sms/messages');
    case 'twilio':
      return juntarCaminho(config.url, `/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`);
    case 'sns':
      return config.url;
  }
}

const jsonEscape = (value: string) => JSON.stringify(value).slice(1, -1);

/** The generic gateway's body: `{{destino}}` and `{{texto}}` filled, escaped for the format. */
export function corpoGateway(formato: 'json' | 'form', template: string, values: { destino: string; texto: string }): string {
  const escape = formato === 'json' ? jsonEscape : encodeURIComponent;
  return template.replace(/\{\{\s*(destino|texto)\s*\}\}/g, (_, name: 'destino' | 'texto') => escape(values[name]));
}

/** The value at a dotted path (`resultado.ok`) of a parsed JSON value. */
function valueAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((current, key) => (current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined), value);
}

const MAX_ERROR_TEXT = 500;

/** A provider's explanation of a failure: its JSON message fields when it answered JSON, else the start of the body. */
function errorTextOf(bodyText: string): string {
  try {
    const parsed = JSON.parse(bodyText) as Record<string, unknown>;
    const pieces = ['code', 'message', 'error', 'erro', 'mensagem', 'detail', 'more_info']
      .map((key) => parsed?.[key])
      .filter((v) => typeof v === 'string' || typeof v === 'number')
      .map(String);
    if (pieces.length > 0) return pieces.join(' — ').slice(0, MAX_ERROR_TEXT);
  } catch {
    // Not JSON: the text itself.
  }
  return bodyText.trim().slice(0, MAX_ERROR_TEXT);
}

function idOf(bodyText: string, key: string): string | undefined {
  try {
    const value = (JSON.parse(bodyText) as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Reads an HTTP answer: 2xx (and, for the gateway, its success field) is delivered to the provider. */
function fromHttp(url: string, result: OutboundResult, options: { sucessoCampo?: string | null; idField?: string } = {}): Tentativa {
  if (result.kind === 'failure') {
    const transitoria = result.reason === 'tempo_esgotado' || result.reason === 'falha_conexao';
    return { url, result, ok: false, transitoria, erro: result.message };
  }
  if (result.status >= 200 && result.status < 300) {
    if (options.sucessoCampo) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(result.bodyText);
      } catch {
        return { url, result, ok: false, transitoria: false, erro: `A resposta não é JSON; o campo "${options.sucessoCampo}" não pôde ser conferido.` };
      }
      if (valueAt(parsed, options.sucessoCampo) !== true) {
        return { url, result, ok: false, transitoria: false, erro: `O campo "${options.sucessoCampo}" da resposta não é true. ${errorTextOf(result.bodyText)}`.trim().slice(0, MAX_ERROR_TEXT) };
      }
    }
    return { url, result, ok: true, transitoria: false, idMensagem: options.idField ? idOf(result.bodyText, options.idField) : undefined };
  }
  return { url, result, ok: false, transitoria: result.status >= 500, erro: `HTTP ${result.status}: ${errorTextOf(result.bodyText)}`.slice(0, MAX_ERROR_TEXT) };
}

/**
 * The SMS presets and the generic gateway, each as its provider documents the request:
 * - Zenvia (REST API v2, SMS channel): `POST /v2/channels/sms/messages`, `X-API-TOKEN`, JSON
 *   `{from, to, contents: [{type: 'text', text}]}` with `to` as digits with the country code.
 * - Twilio (Messages resource): `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP basic
 *   auth `AccountSid:AuthToken`, form-encoded `To`, `From`, `Body`.
 * - Amazon SNS: `Publish` with `PhoneNumber`, through the AWS SDK (signature V4), marked
 *   `Transactional`; the endpoint is configurable and checked like any other URL.
 * - The generic gateway: the configured method, headers and body template.
 */
export function createProvedoresSms(deps: { http: EnvioHttp; clock: Clock; allowlist: CidrList }) {
  const lookup = createGuardedLookup(deps.allowlist);

  async function viaSns(config: Extract<SmsConfig, { provedor: 'sns' }>, secret: string, destino: string, texto: string, requireHttps: boolean): Promise<Tentativa> {
    const url = config.url;
    const startedAt = deps.clock.now();
    const failure = (reason: 'url_bloqueada' | 'endereco_bloqueado' | 'tempo_esgotado' | 'falha_conexao', message: string): Tentativa => ({
      url,
      result: { kind: 'failure', reason, message, latencyMs: deps.clock.now() - startedAt },
      ok: false,
      transitoria: reason === 'tempo_esgotado' || reason === 'falha_conexao',
      erro: message,
    });
    const problem = urlProblem(url, { requireHttps, allowlist: deps.allowlist });
    if (problem) return failure('url_bloqueada', `URL recusada: ${problem}.`);
    // Agents of their own: the SDK's default ones would skip the connect-time address check.
    const agentOptions = { lookup, keepAlive: false } as never;
    // The AWS SDK is loaded on the first SNS send (~17 MB a process would hold for nothing otherwise).
    const { PublishCommand, SNSClient } = await import('@aws-sdk/client-sns');
    const client = new SNSClient({
      region: config.regiao,
      endpoint: url,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: secret },
      maxAttempts: 1,
      requestHandler: { httpAgent: new HttpAgent(agentOptions), httpsAgent: new HttpsAgent(agentOptions), connectionTimeout: config.timeoutMs, requestTimeout: config.timeoutMs },
    });
    const attributes: NonNullable<PublishCommandInput['MessageAttributes']> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (config.remetente) attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: config.remetente };
    // A hung SDK call is cut by our own clock as well as the handler's timeouts.
    const abort = AbortSignal.timeout(config.timeoutMs + 1_000);
    try {
      const answer = await client.send(new PublishCommand({ PhoneNumber: destino, Message: texto, MessageAttributes: attributes }), { abortSignal: abort });
      const status = answer.$metadata.httpStatusCode ?? 200;
      const bodyText = JSON.stringify({ id: answer.MessageId ?? null });
      return { url, result: { kind: 'response', status, statusText: 'OK', headers: {}, bodyText, latencyMs: deps.clock.now() - startedAt }, ok: true, transitoria: false, idMensagem: answer.MessageId };
    } catch (error) {
      const err = error as Error & { $metadata?: { httpStatusCode?: number }; code?: string; cause?: unknown };
      if (err instanceof OutboundAddressBlocked || err.cause instanceof OutboundAddressBlocked) return failure('endereco_bloqueado', `Endereço bloqueado: ${err.message}.`);
      const status = err.$metadata?.httpStatusCode;
      if (status !== undefined) {
        const erro = `HTTP ${status}: ${err.name}${err.message && err.message !== err.name ? ` — ${err.message}` : ''}`.slice(0, MAX_ERROR_TEXT);
        return {
          url,
          result: { kind: 'response', status, statusText: err.name, headers: {}, bodyText: JSON.stringify({ mensagem: erro }), latencyMs: deps.clock.now() - startedAt },
          ok: false,
          transitoria: status >= 500,
          erro,
        };
      }
      if (err.name === 'TimeoutError' || err.name === 'AbortError' || err.code === 'ETIMEDOUT') return failure('tempo_esgotado', 'O provedor não respondeu dentro do tempo limite.');
      return failure('falha_conexao', `A conexão com o provedor falhou: ${err.code ?? err.name}.`);
    } finally {
      client.destroy();
    }
  }

  return {
    /** One attempt; never throws. `destino` is E.164 (`+5511990000001`). */
    async enviar(config: SmsProvedorConfigurado, segredos: SmsSegredos, destino: string, texto: string, requireHttps: boolean): Promise<Tentativa> {
      const url = urlDoProvedor(config);
      switch (config.provedor) {
        case 'zenvia': {
          const body = JSON.stringify({ from: config.remetente, to: destino.replace(/^\+/, ''), contents: [{ type: 'text', text: texto }] });
          const headers = { 'content-type': 'application/json', accept: 'application/json', 'x-api-token': segredos.token ?? '' };
          return fromHttp(url, await deps.http.request({ url, method: 'POST', headers, body, timeoutMs: config.timeoutMs, requireHttps }), { idField: 'id' });
        }
        case 'twilio': {
          const body = new URLSearchParams({ To: destino, From: config.remetente, Body: texto }).toString();
          const auth = Buffer.from(`${config.accountSid}:${segredos.token ?? ''}`).toString('base64');
          const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${auth}` };
          return fromHttp(url, await deps.http.request({ url, method: 'POST', headers, body, timeoutMs: config.timeoutMs, requireHttps }), { idField: 'sid' });
        }
        case 'http': {
          const headers: Record<string, string> = {};
          for (const h of config.headers) headers[h.nome] = h.secreto ? (segredos.headers?.[h.nome.toLowerCase()] ?? '') : (h.valor ?? '');
          for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') delete headers[name];
          headers['content-type'] = config.formato === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
          const body = corpoGateway(config.formato, config.corpo, { destino, texto });
          return fromHttp(url, await deps.http.request({ url, method: config.metodo, headers, body, timeoutMs: config.timeoutMs, requireHttps }), { sucessoCampo: config.sucessoCampo });
        }
        case 'sns':
          return viaSns(config, segredos.token ?? '', destino, texto, requireHttps);
      }
    },
  };
}

export type ProvedoresSms = ReturnType<typeof createProvedoresSms>;

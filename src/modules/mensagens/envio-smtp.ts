/**
 * E-mail delivery of recovery codes: one attempt at an SMTP server (the instância's own or the
 * platform's), with a bounded wait, reported as the same `Tentativa` an SMS provider gives. The retry
 * and the central de logs record are the service's (envio-mensagens.service.ts).
 */
import { lookup } from 'node:dns/promises';
import type { Clock } from '../../platform/clock.ts';
import { addressProblem, type CidrList } from '../../platform/http-client/ssrf-guard.ts';
import { parseSmtpUrl, smtpUrlProblem } from './envio-mensagens.config.ts';
import type { Tentativa } from './provedores-sms.ts';

/** How long the connection, the server's greeting and each socket read may take. */
const SMTP_TIMEOUT_MS = 10_000;

/**
 * One attempt at sending `message` through the SMTP server at `rawUrl`. `own`: the cliente's own
 * server, typed in the painel, so the SSRF rules apply to the URL and to the address connected to;
 * the platform's server (`PONTE_SMTP_URL`) is trusted. A failure comes back as a `Tentativa`, not
 * thrown, and says whether one more try is worth it.
 */
export async function smtpAttempt(
  rawUrl: string,
  own: boolean,
  message: { from: string; to: string; subject: string; text: string; html: string },
  deps: { clock: Clock; allowlist: CidrList },
): Promise<Tentativa> {
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
  // nodemailer is loaded on the first e-mail: most processes never send one.
  const { createTransport } = await import('nodemailer');
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

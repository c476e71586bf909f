import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import type { InboundOperation, InboundOutcome, LogCenterWriter, MotivoRecusa } from './log-center.types.ts';

/**
 * The central de logs' other direction: the calls operators make to Ponte's `/clientes` API
 * (temp-authorization and the chave passe data API), each with the reason of a refusal.
 *
 * The caller's answer is never touched — the seed's generic 401/403 stays generic — and nothing
 * here waits: routes note who called and why they were refused on the request, and `onResponse`
 * hands one entry to the same writer as the outbound calls (an O(1) queue push; redaction and the
 * INSERT run on the writer thread). A call whose cliente is unknown (a bad or revoked token, a
 * preflight) has no operator to show it to and is not recorded here (the process log counts it).
 */

/** What a `/clientes` request learned about its caller while it ran. */
export type InboundNote = {
  clienteId?: string;
  tokenId?: string;
  instancia?: 0 | 1 | 2;
  motivo?: MotivoRecusa;
  /** The response body as sent (already in the surface's shape). */
  payload?: string;
  /** The operator's request parameters worth keeping (never the chave passe or token). */
  parametros?: Record<string, string | null>;
};

declare module 'fastify' {
  interface FastifyRequest {
    inbound: InboundNote | null;
  }
}

/** The largest response body kept for an entrada row (bodies of this API are small envelopes). */
const MAX_KEPT_PAYLOAD_CHARS = 64 * 1024;

const operationByRoute: Record<string, InboundOperation> = {
  '/clientes/auth/temp-authorization': 'auth/temp-authorization',
  '/clientes/chavePasse/usuario': 'chavePasse/usuario',
  '/clientes/chavePasse/grupoFamiliar': 'chavePasse/grupoFamiliar',
  '/clientes/chavePasse/sistema': 'chavePasse/sistema',
  '/clientes/chavePasse/chavePasse': 'chavePasse/chavePasse',
};

function noteOf(request: FastifyRequest): InboundNote {
  request.inbound ??= {};
  return request.inbound;
}

/** The authenticated caller (or the one refused for scope or rate): the cliente the row belongs to. */
export function noteCaller(request: FastifyRequest, caller: { clienteId: string; tokenId: string }): void {
  const note = noteOf(request);
  note.clienteId = caller.clienteId;
  note.tokenId = caller.tokenId;
}

/** The instância the call was about (the `instanciaApp` sent, or the chave passe's own). */
export function noteInstancia(request: FastifyRequest, instancia: 0 | 1 | 2): void {
  noteOf(request).instancia = instancia;
}

/** Why the route refused the call; the answer to the caller stays the generic one. */
export function noteRefusal(request: FastifyRequest, motivo: MotivoRecusa): void {
  noteOf(request).motivo = motivo;
}

/** Request parameters kept on the row (values that are neither secrets nor personal data). */
export function noteParametros(request: FastifyRequest, parametros: Record<string, string | null>): void {
  noteOf(request).parametros = parametros;
}

/** Reasons that follow from the error code alone. */
const motivoByCode: Partial<Record<string, MotivoRecusa>> = {
  TOKEN_SCOPE_MISSING: 'token_sem_api',
  MISSING_PARAMETERS: 'parametros_ausentes',
  RATE_LIMITED: 'limite_excedido',
  SERVICE_UNAVAILABLE: 'indisponivel',
};

const outcomeOf = (status: number): InboundOutcome => (status < 400 ? 'sucesso' : status >= 500 ? 'falha_na_ponte' : 'recusado_pela_ponte');

/**
 * Registers the hooks on the `/clientes` scope. Runs after the route and the CORS hook, so it sees
 * the status, the body and whether the page may read the answer.
 */
export function registerInboundLog(scope: FastifyInstance, deps: { writer: LogCenterWriter; clock: Clock }): void {
  scope.decorateRequest('inbound', null);

  scope.addHook('onError', (request, _reply, error, done) => {
    const note = request.inbound;
    if (note && note.motivo === undefined && error instanceof AppError) {
      const motivo = motivoByCode[error.code];
      if (motivo) note.motivo = motivo;
    }
    done();
  });

  scope.addHook('onSend', (request, _reply, payload, done) => {
    const note = request.inbound;
    if (note?.clienteId !== undefined && typeof payload === 'string') note.payload = payload.slice(0, MAX_KEPT_PAYLOAD_CHARS);
    done(null, payload);
  });

  scope.addHook('onResponse', (request, reply, done) => {
    try {
      const note = request.inbound;
      const operacao = operationByRoute[request.routeOptions.url ?? ''];
      if (note?.clienteId === undefined || operacao === undefined || request.method === 'OPTIONS') return done();
      const status = reply.statusCode;
      let motivo = note.motivo;
      let outcome = outcomeOf(status);
      const origin = request.headers.origin;
      // Answered, but the browser page that asked cannot read it: its origin is not this cliente's.
      if (origin && status < 400 && reply.getHeader('access-control-allow-origin') === undefined) {
        motivo ??= 'origem_nao_cadastrada';
        outcome = 'recusado_pela_ponte';
      }
      deps.writer.record({
        clienteId: note.clienteId,
        instancia: note.instancia ?? 0,
        operacao,
        // `host` keeps the port the operator called (`hostname` drops it).
        url: `${request.protocol}://${request.host}${request.routeOptions.url}`,
        requestHeaders: Object.fromEntries(['authorization', 'origin', 'content-type'].filter((h) => request.headers[h] !== undefined).map((h) => [h, String(request.headers[h])])),
        requestBody: { ...(note.parametros ?? {}), ...(origin ? { origem: origin.slice(0, 200) } : {}) },
        result: { kind: 'response', status, statusText: STATUS_CODES[status] ?? '', headers: {}, bodyText: note.payload ?? '', latencyMs: reply.elapsedTime },
        violations: [],
        outcome,
        direcao: 'entrada',
        motivo: outcome === 'sucesso' ? undefined : motivo,
        tokenId: note.tokenId,
        correlationId: request.id,
        at: deps.clock.now(),
      });
    } catch (err) {
      // The log must never fail the caller's request (already answered anyway).
      request.log.warn({ err }, 'central de logs: não foi possível registrar uma chamada da operadora à Ponte');
    }
    done();
  });
}

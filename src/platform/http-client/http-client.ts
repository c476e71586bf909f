import { STATUS_CODES } from 'node:http';
import { Agent, errors as undiciErrors } from 'undici';
import type { Clock } from '../clock.ts';
import { createBulkhead, createCircuitBreaker, type CircuitBreaker } from './resilience.ts';
import { createGuardedLookup, OutboundAddressBlocked, urlProblem, type CidrList } from './ssrf-guard.ts';

export type OutboundRequest = {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  maxResponseBytes: number;
  /** Produção: only https. */
  requireHttps: boolean;
};

export type OutboundFailureReason =
  | 'url_bloqueada'
  | 'endereco_bloqueado'
  | 'tempo_esgotado'
  | 'falha_conexao'
  | 'resposta_grande_demais'
  | 'circuito_aberto'
  | 'limite_concorrencia';

/** What happened to one call. Operator failures are values, never exceptions. */
export type OutboundResult =
  | { kind: 'response'; status: number; statusText: string; headers: Record<string, string>; bodyText: string; latencyMs: number }
  | { kind: 'failure'; reason: OutboundFailureReason; message: string; latencyMs: number };

export type OutboundClientOptions = {
  allowlist: CidrList;
  clock: Clock;
  /** Calls in flight per operator origin; more wait in a bounded queue. */
  maxConcurrentPerOrigin: number;
  maxQueuedPerOrigin: number;
  breaker: { failureThreshold: number; openMs: number };
};

const failureMessages: Record<OutboundFailureReason, string> = {
  url_bloqueada: 'A URL configurada não é permitida.',
  endereco_bloqueado: 'O endereço da operadora é interno ou reservado e chamadas para ele são bloqueadas.',
  tempo_esgotado: 'A API da operadora não respondeu dentro do tempo limite.',
  falha_conexao: 'A conexão com a API da operadora falhou (recusada ou interrompida antes da resposta).',
  resposta_grande_demais: 'A resposta da operadora excedeu o tamanho máximo permitido.',
  circuito_aberto: 'A API da operadora está falhando repetidamente; chamadas suspensas por alguns instantes.',
  limite_concorrencia: 'Muitas chamadas simultâneas para esta operadora; tente novamente em instantes.',
};

/**
 * The caller's headers plus Ponte's own `content-type`/`accept`, which always win: a configured
 * `Content-Type` in another case would otherwise go out as a second, conflicting header.
 */
function withJsonHeaders(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower !== 'content-type' && lower !== 'accept') result[name] = value;
  }
  result['content-type'] = 'application/json';
  result.accept = 'application/json';
  return result;
}

/**
 * The one way Ponte calls operators: `POST` JSON over keep-alive undici pools, SSRF-checked at
 * connect time, no redirects followed, bounded in time and size, isolated per operator origin.
 * It never retries: login and the other methods are not idempotent.
 */
export function createOutboundClient(options: OutboundClientOptions) {
  const agent = new Agent({
    connect: { lookup: createGuardedLookup(options.allowlist) as never },
    keepAliveTimeout: 10_000,
    connections: options.maxConcurrentPerOrigin,
  });
  const isolation = new Map<string, { breaker: CircuitBreaker; bulkhead: ReturnType<typeof createBulkhead> }>();
  const isolationOf = (origin: string) => {
    let entry = isolation.get(origin);
    if (!entry) {
      entry = {
        breaker: createCircuitBreaker(options.breaker, options.clock),
        bulkhead: createBulkhead({ maxConcurrent: options.maxConcurrentPerOrigin, maxQueued: options.maxQueuedPerOrigin }),
      };
      isolation.set(origin, entry);
    }
    return entry;
  };

  const fail = (reason: OutboundFailureReason, startedAt: number, message = failureMessages[reason]): OutboundResult => ({
    kind: 'failure',
    reason,
    message,
    latencyMs: options.clock.now() - startedAt,
  });

  async function send(request: OutboundRequest, signal: AbortSignal): Promise<OutboundResult> {
    const startedAt = options.clock.now();
    const url = new URL(request.url);
    const response = await agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: withJsonHeaders(request.headers),
      body: JSON.stringify(request.body ?? {}),
      signal,
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > request.maxResponseBytes) {
        response.body.destroy();
        return fail('resposta_grande_demais', startedAt, `A resposta da operadora excedeu ${request.maxResponseBytes} bytes.`);
      }
      chunks.push(chunk as Buffer);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    return {
      kind: 'response',
      status: response.statusCode,
      statusText: STATUS_CODES[response.statusCode] ?? '',
      headers,
      bodyText: Buffer.concat(chunks).toString('utf8'),
      latencyMs: options.clock.now() - startedAt,
    };
  }

  function classify(error: unknown, startedAt: number): OutboundResult {
    const cause = (error as { cause?: unknown }).cause;
    if (error instanceof OutboundAddressBlocked || cause instanceof OutboundAddressBlocked) {
      const blocked = error instanceof OutboundAddressBlocked ? error : (cause as OutboundAddressBlocked);
      return fail('endereco_bloqueado', startedAt, `Endereço bloqueado: ${blocked.message}.`);
    }
    if (
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      (error as Error).name === 'TimeoutError' ||
      (error as Error).name === 'AbortError'
    ) {
      return fail('tempo_esgotado', startedAt);
    }
    return fail('falha_conexao', startedAt);
  }

  return {
    async call(request: OutboundRequest): Promise<OutboundResult> {
      const startedAt = options.clock.now();
      const problem = urlProblem(request.url, { requireHttps: request.requireHttps, allowlist: options.allowlist });
      if (problem) return fail('url_bloqueada', startedAt, `URL recusada: ${problem}.`);
      const { breaker, bulkhead } = isolationOf(new URL(request.url).origin);
      if (!breaker.tryAcquire()) return fail('circuito_aberto', startedAt);
      const release = await bulkhead.acquire(request.timeoutMs);
      if (!release) {
        breaker.release();
        return fail('limite_concorrencia', startedAt);
      }
      try {
        const result = await send(request, AbortSignal.timeout(request.timeoutMs));
        const unhealthy = result.kind === 'failure' || result.status >= 500;
        if (unhealthy) breaker.recordFailure();
        else breaker.recordSuccess();
        return result;
      } catch (error) {
        const result = classify(error, startedAt);
        if (result.kind === 'failure' && result.reason === 'endereco_bloqueado') breaker.release();
        else breaker.recordFailure();
        return result;
      } finally {
        release();
      }
    },

    /** Breaker state per origin, for the painel and metrics. */
    breakerState(origin: string) {
      return isolation.get(origin)?.breaker.state ?? 'fechado';
    },

    async close(): Promise<void> {
      await agent.close();
    },
  };
}

export type OutboundClient = ReturnType<typeof createOutboundClient>;

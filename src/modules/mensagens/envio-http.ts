import { STATUS_CODES } from 'node:http';
import { Agent, errors as undiciErrors } from 'undici';
import type { Clock } from '../../platform/clock.ts';
import type { OutboundFailureReason, OutboundResult } from '../../platform/http-client/http-client.ts';
import { createGuardedLookup, OutboundAddressBlocked, urlProblem, type CidrList } from '../../platform/http-client/ssrf-guard.ts';

export type EnvioHttpRequest = {
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Produção: only https. */
  requireHttps: boolean;
};

const MAX_RESPONSE_BYTES = 64 * 1024;

const failureMessages: Partial<Record<OutboundFailureReason, string>> = {
  tempo_esgotado: 'O provedor não respondeu dentro do tempo limite.',
  falha_conexao: 'A conexão com o provedor falhou (recusada ou interrompida antes da resposta).',
  resposta_grande_demais: `A resposta do provedor excedeu ${MAX_RESPONSE_BYTES} bytes.`,
};

/**
 * HTTP for SMS gateways: unlike operator calls (always `POST` JSON), a gateway may want `PUT`,
 * a form body or its own content type. The same SSRF rules apply — the URL checked before the
 * call, the address checked at connect time — with a bounded wait and response size; redirects
 * are not followed. Failures are values, as in the operator client.
 */
export function createEnvioHttp(options: { allowlist: CidrList; clock: Clock }) {
  const agent = new Agent({ connect: { lookup: createGuardedLookup(options.allowlist) as never }, keepAliveTimeout: 10_000, connections: 16 });
  const fail = (reason: OutboundFailureReason, startedAt: number, message?: string): OutboundResult => ({
    kind: 'failure',
    reason,
    message: message ?? failureMessages[reason] ?? reason,
    latencyMs: options.clock.now() - startedAt,
  });

  return {
    async request(request: EnvioHttpRequest): Promise<OutboundResult> {
      const startedAt = options.clock.now();
      const problem = urlProblem(request.url, { requireHttps: request.requireHttps, allowlist: options.allowlist });
      if (problem) return fail('url_bloqueada', startedAt, `URL recusada: ${problem}.`);
      const url = new URL(request.url);
      try {
        const response = await agent.request({
          origin: url.origin,
          path: url.pathname,
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.timeout(request.timeoutMs),
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
        });
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > MAX_RESPONSE_BYTES) {
            response.body.destroy();
            return fail('resposta_grande_demais', startedAt);
          }
          chunks.push(chunk as Buffer);
        }
        return {
          kind: 'response',
          status: response.statusCode,
          statusText: STATUS_CODES[response.statusCode] ?? '',
          headers: {},
          bodyText: Buffer.concat(chunks).toString('utf8'),
          latencyMs: options.clock.now() - startedAt,
        };
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        if (error instanceof OutboundAddressBlocked || cause instanceof OutboundAddressBlocked) {
          return fail('endereco_bloqueado', startedAt, `Endereço bloqueado: ${((error instanceof OutboundAddressBlocked ? error : cause) as Error).message}.`);
        }
        const name = (error as Error).name;
        if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || name === 'TimeoutError' || name === 'AbortError') {
          return fail('tempo_esgotado', startedAt);
        }
        return fail('falha_conexao', startedAt);
      }
    },
    close: () => agent.close(),
  };
}

export type EnvioHttp = ReturnType<typeof createEnvioHttp>;

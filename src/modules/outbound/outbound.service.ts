import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.ts';
import { isForbiddenHeaderName, isValidHeaderName, isValidHeaderValue } from '../../platform/http/header-names.ts';
import { AppError } from '../../platform/errors.ts';
import { originOf } from '../../platform/crypto.ts';
import { SENHA_FORA_DO_DESTINO } from '../grupos/grupo-senha.ts';
import type { GrupoPairsCache } from '../grupos/grupos.cache.ts';
import { grupoDestinationsAllowed, grupoTokensBlockedMessage, grupoTokensMayGoTo } from '../integracoes/grupo-destinos.ts';
import type { IntegrationMethod } from '../integracoes/integracoes.repo.ts';
import { destinationsOf, effectiveUrl, type IntegracoesService } from '../integracoes/integracoes.service.ts';
import type { OperatorCaller, OperatorCallOutcome } from '../operator-call/operator-call.ts';

/** A per-user header the operator returned in `seguranca.auth` (login or identification). */
export type SegurancaPair = { chave: string; token: string; expiracao?: number | null | undefined };

export type HeaderSource = 'estatico' | 'grupo' | 'seguranca';

/**
 * Composes the headers of a call (docs/ESPECIFICACAO.md §3): static ∪ grupo ∪ seguranca, later sources winning a
 * name clash (seguranca > grupo > static). Expired seguranca pairs and anything that is not a valid
 * header are left out. Returns the clashes so the caller can log them (names only, never values).
 */
export function composeHeaders(
  sources: { estatico: Readonly<Record<string, string>>; grupo: { chave: string; token: string }[]; seguranca: SegurancaPair[] },
  now: number,
): { headers: Record<string, string>; clashes: { nome: string; fontes: HeaderSource[] }[]; dropped: { nome: string; motivo: string }[] } {
  const byName = new Map<string, { nome: string; value: string; source: HeaderSource; overridden: HeaderSource[] }>();
  const dropped: { nome: string; motivo: string }[] = [];
  const put = (nome: string, value: string, source: HeaderSource) => {
    if (!isValidHeaderName(nome) || isForbiddenHeaderName(nome)) return dropped.push({ nome: nome.slice(0, 60), motivo: 'nome de header inválido ou reservado' });
    if (!isValidHeaderValue(value)) return dropped.push({ nome, motivo: 'valor com quebra de linha ou grande demais' });
    const key = nome.toLowerCase();
    const previous = byName.get(key);
    byName.set(key, { nome, value, source, overridden: previous ? [...previous.overridden, previous.source] : [] });
    return undefined;
  };
  for (const [nome, value] of Object.entries(sources.estatico)) put(nome, value, 'estatico');
  for (const pair of sources.grupo) put(pair.chave, pair.token, 'grupo');
  for (const pair of sources.seguranca) {
    // `expiracao` is optional: absent or null, the pair does not expire.
    if (pair.expiracao != null && pair.expiracao <= now) continue;
    put(pair.chave, pair.token, 'seguranca');
  }
  const headers: Record<string, string> = {};
  const clashes: { nome: string; fontes: HeaderSource[] }[] = [];
  for (const entry of byName.values()) {
    headers[entry.nome] = entry.value;
    if (entry.overridden.length > 0) clashes.push({ nome: entry.nome, fontes: [...entry.overridden, entry.source] });
  }
  return { headers, clashes, dropped };
}

export type OutboundCallInput = {
  clienteId: string;
  instancia: 1 | 2;
  method: IntegrationMethod;
  body: unknown;
  seguranca?: SegurancaPair[] | undefined;
  chaveUsuario?: string | undefined;
  correlationId?: string | undefined;
};

/**
 * A call Ponte refused to make because a secret would leave for a destination it is not bound to
 * (a secret header or grupo senha that does not open for the current URL, grupo tokens to an
 * origin never confirmed with the grupo's senha). Nothing was sent.
 */
export type SecretBlockedOutcome = {
  kind: 'bloqueado';
  reason: 'segredo_fora_do_destino';
  message: string;
  exchange: { url: string; headerNames: string[]; latencyMs: number; response: null };
};

export type OutboundOutcome = OperatorCallOutcome | SecretBlockedOutcome | { kind: 'nao_configurado'; message: string; exchange: null };

export const secretBlocked = (url: string, message: string): SecretBlockedOutcome => ({
  kind: 'bloqueado',
  reason: 'segredo_fora_do_destino',
  message,
  exchange: { url, headerNames: [], latencyMs: 0, response: null },
});

/**
 * The outbound engine: calls an operator method of a cliente's instância with the right URL and
 * headers; on a 401 with grupo headers it renews the grupo once and retries once (the operator
 * refused before acting, so the retry is safe). Nothing is retried after an operator processed it.
 */
export function createOutboundService(deps: {
  integracoes: IntegracoesService;
  /** The grupo rows (read once per cache period) and their pairs. */
  grupoCache: GrupoPairsCache;
  callOperator: OperatorCaller;
  clock: Clock;
  logger: Logger;
}) {
  return {
    async call(input: OutboundCallInput): Promise<OutboundOutcome> {
      const integracao = await deps.integracoes.get(input.clienteId, input.instancia);
      const url = integracao && effectiveUrl(integracao, input.method);
      if (!integracao || !url) {
        return { kind: 'nao_configurado', message: `O método ${input.method} não está configurado na integração desta instância.`, exchange: null };
      }
      // Secrets that do not open for the current URLs stop the call before anything is fetched.
      let estatico: Readonly<Record<string, string>>;
      try {
        estatico = deps.integracoes.openHeaders(integracao);
      } catch (error) {
        if (error instanceof AppError) return secretBlocked(url, error.message);
        throw error;
      }
      const grupo = integracao.grupoId ? await deps.grupoCache.grupo(integracao.grupoId) : undefined;
      let grupoPairs: { chave: string; token: string }[] = [];
      let fingerprint: string | undefined;
      if (grupo) {
        if (!grupoTokensMayGoTo(url, grupoDestinationsAllowed(integracao, grupo, destinationsOf(integracao)))) {
          return secretBlocked(url, grupoTokensBlockedMessage(originOf(url) ?? url, grupo.nome));
        }
        const pairs = await deps.grupoCache.pairsFor(grupo);
        if (!pairs.ok && pairs.error === SENHA_FORA_DO_DESTINO) return secretBlocked(url, pairs.error);
        if (!pairs.ok) {
          const exchange = { url, headerNames: [], latencyMs: 0, response: null };
          return { exchange, kind: 'falha_comunicacao', reason: 'falha_conexao', message: `Grupo de autorização indisponível: ${pairs.error}` };
        }
        grupoPairs = pairs.pairs;
        fingerprint = pairs.fingerprint;
      }

      const attempt = (pairs: { chave: string; token: string }[]) => {
        const composed = composeHeaders({ estatico, grupo: pairs, seguranca: input.seguranca ?? [] }, deps.clock.now());
        if (composed.clashes.length > 0 || composed.dropped.length > 0) {
          deps.logger.warn({ clienteId: input.clienteId, method: input.method, clashes: composed.clashes, dropped: composed.dropped }, 'chamada à operadora: header repetido ou inválido');
        }
        return deps.callOperator({
          clienteId: input.clienteId,
          instancia: input.instancia,
          method: input.method,
          url,
          headers: composed.headers,
          body: input.body,
          timeoutMs: integracao.timeoutMs,
          chaveUsuario: input.chaveUsuario,
          correlationId: input.correlationId,
        });
      };

      const first = await attempt(grupoPairs);
      if (!(grupo && fingerprint && first.kind === 'recusado_pela_operadora' && first.status === 401)) return first;
      const renewed = await deps.grupoCache.refreshAfterRejection(grupo, fingerprint);
      // The operator refuses the grupo's pairs and no new ones can be had: an outage, not a "no".
      if (!renewed.ok) {
        return { exchange: first.exchange, kind: 'falha_comunicacao', reason: 'falha_conexao', message: `A operadora recusou os headers do grupo de autorização (HTTP 401) e a renovação falhou: ${renewed.error}` };
      }
      if (renewed.fingerprint === fingerprint) return first;
      return attempt(renewed.pairs);
    },
  };
}

export type OutboundService = ReturnType<typeof createOutboundService>;

import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.ts';
import type { SecretBox } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';
import { isForbiddenHeaderName, isValidHeaderName, isValidHeaderValue } from '../../platform/http/header-names.ts';
import { urlProblem, type CidrList } from '../../platform/http-client/ssrf-guard.ts';
import { newId } from '../../platform/ids.ts';
import { createLocalInvalidation, type Invalidation } from '../../platform/invalidation.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import { contracts } from '../contracts/contracts.ts';
import { createGruposRepo } from '../grupos/grupos.repo.ts';
import { createIntegracoesRepo, integrationMethods, type Integracao, type IntegrationMethod, type MethodConfig, type StaticHeader } from './integracoes.repo.ts';

export const integrationLimits = { defaultTimeoutMs: 10_000, minTimeoutMs: 1_000, maxTimeoutMs: 30_000, maxHeaders: 30 } as const;

/**
 * How long a node may use an integração before reading it again: a safety net, since a save
 * publishes `integracao` and every node drops its copy at once.
 */
const CONFIG_CACHE_TTL_MS = 5_000;

export type IntegracaoInput = {
  baseUrl: string | null;
  timeoutMs?: number | undefined;
  grupoId: string | null;
  metodos: Partial<Record<IntegrationMethod, { url?: string | null | undefined; formularioId?: string | null | undefined }>>;
  /** A secret header sent without `valor` keeps the value already stored under that name. */
  headers: { nome: string; valor?: string | undefined; secreto: boolean }[];
};

/** The URL a method is called at: its own, else the base URL plus the method's suffix. */
export function effectiveUrl(integracao: Pick<Integracao, 'baseUrl' | 'metodos'>, method: IntegrationMethod): string | undefined {
  const own = integracao.metodos[method]?.url;
  if (own) return own;
  return integracao.baseUrl ? `${integracao.baseUrl.replace(/\/+$/, '')}${contracts[method].suffix}` : undefined;
}

export function createIntegracoesService(deps: { db: Db; clock: Clock; secretBox: SecretBox; audit: AuditService; allowlist: CidrList; invalidation?: Invalidation }) {
  const repo = createIntegracoesRepo(deps.db);
  const grupos = createGruposRepo(deps.db);
  const cache = new LRUCache<string, Integracao | 'ausente'>({ max: 5_000, ttl: CONFIG_CACHE_TTL_MS });
  const cacheKey = (clienteId: string, instancia: 1 | 2) => `${clienteId}:${instancia}`;
  const invalidation = deps.invalidation ?? createLocalInvalidation();
  invalidation.subscribe('integracao', (key) => (key === undefined ? cache.clear() : cache.delete(key)));
  const aad = (clienteId: string, instancia: number, nome: string) => `integracao:${clienteId}:${instancia}:${nome.toLowerCase()}`;

  function validate(input: IntegracaoInput, instancia: 1 | 2): ErrorDetail[] {
    const details: ErrorDetail[] = [];
    const requireHttps = instancia === 2;
    if (input.baseUrl) {
      const problem = urlProblem(input.baseUrl, { requireHttps, allowlist: deps.allowlist });
      if (problem) details.push({ field: 'baseUrl', message: `URL recusada: ${problem}.` });
    }
    for (const method of integrationMethods) {
      const own = input.metodos[method]?.url;
      if (!own) continue;
      const field = `metodos.${method}.url`;
      const problem = urlProblem(own, { requireHttps, allowlist: deps.allowlist });
      if (problem) details.push({ field, message: `URL recusada: ${problem}.` });
      else if (!new URL(own).pathname.replace(/\/+$/, '').endsWith(contracts[method].suffix)) {
        details.push({ field, message: `O endpoint obrigatoriamente deve terminar com "${contracts[method].suffix}".` });
      }
    }
    const seen = new Set<string>();
    input.headers.forEach((header, index) => {
      const field = `headers[${index}].nome`;
      const name = header.nome.trim();
      if (!isValidHeaderName(name)) details.push({ field, message: `"${name.slice(0, 60)}" não é um nome de header HTTP válido.` });
      else if (isForbiddenHeaderName(name)) details.push({ field, message: `"${name}" é um header de controle do HTTP e não pode ser configurado.` });
      else if (seen.has(name.toLowerCase())) details.push({ field, message: `O header "${name}" aparece mais de uma vez.` });
      seen.add(name.toLowerCase());
      if (header.valor !== undefined && !isValidHeaderValue(header.valor)) {
        details.push({ field: `headers[${index}].valor`, message: 'O valor não pode conter quebras de linha, caracteres de controle nem caracteres fora do Latin-1 (ex.: U+2028), nem passar de 8192 caracteres.' });
      }
    });
    return details;
  }

  function sealHeaders(input: IntegracaoInput, previous: Integracao | undefined, clienteId: string, instancia: 1 | 2): StaticHeader[] {
    const details: ErrorDetail[] = [];
    const headers = input.headers.map((header, index): StaticHeader => {
      const nome = header.nome.trim();
      if (!header.secreto) return { nome, secreto: false, valor: header.valor ?? '' };
      if (header.valor !== undefined) return { nome, secreto: true, valorSelado: deps.secretBox.seal(header.valor, aad(clienteId, instancia, nome)) };
      const kept = previous?.headers.find((h) => h.secreto && h.nome.toLowerCase() === nome.toLowerCase());
      if (!kept?.valorSelado) details.push({ field: `headers[${index}].valor`, message: `Informe o valor do header secreto "${nome}".` });
      return { nome, secreto: true, valorSelado: kept?.valorSelado };
    });
    if (details.length > 0) throw new AppError('VALIDATION_FAILED', undefined, { details });
    return headers;
  }

  /** What the audit log keeps: secret values masked. */
  const describe = (i: Integracao | undefined) =>
    i && {
      baseUrl: i.baseUrl,
      timeoutMs: i.timeoutMs,
      grupoId: i.grupoId,
      metodos: i.metodos,
      headers: i.headers.map((h) => ({ nome: h.nome, valor: h.secreto ? '***' : h.valor })),
    };

  return {
    async get(clienteId: string, instancia: 1 | 2): Promise<Integracao | undefined> {
      const key = cacheKey(clienteId, instancia);
      const cached = cache.get(key);
      if (cached !== undefined) return cached === 'ausente' ? undefined : cached;
      const found = await repo.find(clienteId, instancia);
      cache.set(key, found ?? 'ausente');
      return found;
    },

    /** What `save` would refuse in `input` for this instância (URLs, suffixes, headers), without saving. */
    validateFor(input: IntegracaoInput, instancia: 1 | 2): ErrorDetail[] {
      return validate(input, instancia);
    },

    /** `auditAction` names the change in the audit log when it is not a plain edit (e.g. a copy from Sandbox). */
    async save(input: IntegracaoInput & { clienteId: string; instancia: 1 | 2; actor: AuditActor; auditAction?: string }): Promise<Integracao> {
      const details = validate(input, input.instancia);
      if (input.grupoId) {
        const grupo = await grupos.findById(input.grupoId);
        if (!grupo || grupo.clienteId !== input.clienteId || grupo.instancia !== input.instancia) {
          details.push({ field: 'grupoId', message: 'Grupo de autorização não encontrado nesta instância.' });
        }
      }
      if (details.length > 0) throw new AppError('VALIDATION_FAILED', undefined, { details });
      const previous = await repo.find(input.clienteId, input.instancia);
      const now = deps.clock.now();
      const metodos: Integracao['metodos'] = {};
      for (const method of integrationMethods) {
        const given = input.metodos[method];
        const config: MethodConfig = {};
        if (given?.url) config.url = given.url.trim();
        if (given?.formularioId) config.formularioId = given.formularioId;
        if (config.url || config.formularioId) metodos[method] = config;
      }
      const integracao: Integracao = {
        id: previous?.id ?? newId('integracao'),
        clienteId: input.clienteId,
        instancia: input.instancia,
        baseUrl: input.baseUrl?.trim() || null,
        metodos,
        timeoutMs: input.timeoutMs ?? previous?.timeoutMs ?? integrationLimits.defaultTimeoutMs,
        headers: sealHeaders(input, previous, input.clienteId, input.instancia),
        grupoId: input.grupoId,
        updatedBy: input.actor.userId,
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      };
      await deps.db.transaction().execute(async (trx) => {
        await repo.upsert(integracao, trx);
        await deps.audit.record(
          {
            clienteId: input.clienteId,
            actor: input.actor,
            action: input.auditAction ?? (previous ? 'integracao.alterada' : 'integracao.criada'),
            targetType: 'integracao',
            targetId: integracao.id,
            before: describe(previous) ?? null,
            after: describe(integracao) ?? null,
          },
          trx,
        );
      });
      await invalidation.publish('integracao', cacheKey(input.clienteId, input.instancia));
      return integracao;
    },

    /**
     * Chooses the form the app uses for one method (`null`: the default form), leaving the rest of
     * the integração as it is; an instância without an integração gets one with nothing else set.
     * The caller checks that the form belongs to this cliente, instância and method.
     */
    async chooseFormulario(input: { clienteId: string; instancia: 1 | 2; metodo: IntegrationMethod; formularioId: string | null; actor: AuditActor }): Promise<Integracao> {
      const integracao = await deps.db.transaction().execute(async (trx) => {
        const previous = await repo.find(input.clienteId, input.instancia, trx);
        const now = deps.clock.now();
        const config: MethodConfig = { ...previous?.metodos[input.metodo] };
        if (input.formularioId) config.formularioId = input.formularioId;
        else delete config.formularioId;
        const metodos: Integracao['metodos'] = { ...previous?.metodos };
        if (config.url || config.formularioId) metodos[input.metodo] = config;
        else delete metodos[input.metodo];
        const next: Integracao = previous
          ? { ...previous, metodos, updatedBy: input.actor.userId, updatedAt: now }
          : {
              id: newId('integracao'),
              clienteId: input.clienteId,
              instancia: input.instancia,
              baseUrl: null,
              metodos,
              timeoutMs: integrationLimits.defaultTimeoutMs,
              headers: [],
              grupoId: null,
              updatedBy: input.actor.userId,
              createdAt: now,
              updatedAt: now,
            };
        await repo.upsert(next, trx);
        await deps.audit.record(
          {
            clienteId: input.clienteId,
            actor: input.actor,
            action: previous ? 'integracao.alterada' : 'integracao.criada',
            targetType: 'integracao',
            targetId: next.id,
            before: describe(previous) ?? null,
            after: describe(next) ?? null,
          },
          trx,
        );
        return next;
      });
      await invalidation.publish('integracao', cacheKey(input.clienteId, input.instancia));
      return integracao;
    },

    /** The static headers with secret values opened; only the layer that sends them calls this. */
    openHeaders(integracao: Integracao): Record<string, string> {
      const headers: Record<string, string> = {};
      for (const h of integracao.headers) {
        headers[h.nome] = h.secreto ? deps.secretBox.open(h.valorSelado ?? '', aad(integracao.clienteId, integracao.instancia, h.nome)) : (h.valor ?? '');
      }
      return headers;
    },
  };
}

export type IntegracoesService = ReturnType<typeof createIntegracoesService>;

import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.ts';
import { destinationAad, originOf, type SecretBox } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';
import { isForbiddenHeaderName, isValidHeaderName, isValidHeaderValue } from '../../platform/http/header-names.ts';
import { urlProblem, type CidrList } from '../../platform/http-client/ssrf-guard.ts';
import { newId } from '../../platform/ids.ts';
import { createLocalInvalidation, type Invalidation } from '../../platform/invalidation.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import { contracts } from '../contracts/contracts.ts';
import type { GruposRepo } from '../grupos/grupos.repo.ts';
import { createGrupoSenhas } from '../grupos/grupo-senha.ts';
import { confirmGrupoDestinations } from './grupo-destinos.ts';
import { joinSuffix } from './integracao-url.ts';
import { integrationMethods, type IntegracoesRepo, isFormMethod, type Integracao, type IntegrationMethod, type MethodConfig, type StaticHeader } from './integracoes.repo.ts';

/** Authorization carries the grupo de autorização's tokens: a static header would fight with them. */
export const reservedAuthorizationMessage =
  '"Authorization" é reservado ao grupo de autorização: cadastre as credenciais em Segurança → Grupos de autorização e vincule o grupo a esta integração.';

/** The same words as the painel's check (IntegracaoPage.tsx): an integração with no URL calls nothing. */
export const emptyIntegracaoMessage = 'Informe a URL base da API da operadora (ou a URL própria de pelo menos um método): sem ela a integração não chama nada.';

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
  /**
   * A secret header sent without `valor` keeps the value already stored under that name — only
   * while the integração's URLs stay within the origins that value was sealed for.
   * `copiaDe` (never accepted from the API: the route's schema does not have it) is the
   * `segredoId` of the Sandbox value the copy to Produção carries.
   */
  headers: { nome: string; valor?: string | undefined; secreto: boolean; copiaDe?: string | undefined }[];
  /** The grupo's senha, needed only when the grupo's tokens would go to an origin not confirmed before (grupo-destinos.ts). */
  senhaGrupo?: string | undefined;
};

/** The URL a method is called at: its own, else the method's suffix joined to the base URL's path. */
export function effectiveUrl(integracao: Pick<Integracao, 'baseUrl' | 'metodos'>, method: IntegrationMethod): string | undefined {
  const own = integracao.metodos[method]?.url;
  if (own) return own;
  return integracao.baseUrl ? joinSuffix(integracao.baseUrl, contracts[method].suffix) : undefined;
}

/**
 * The origins an integração sends its static headers to: those of every method's effective URL
 * (a base URL that every method overrides is no destination). Sorted, without repeats; a URL
 * that does not parse stands for itself, so it never matches a real origin.
 */
export function destinationsOf(integracao: Pick<Integracao, 'baseUrl' | 'metodos'>): string[] {
  const origins = new Set<string>();
  for (const method of integrationMethods) {
    const url = effectiveUrl(integracao, method);
    if (url) origins.add(originOf(url) ?? `url-invalida:${url}`);
  }
  return [...origins].sort();
}

/** The secret's identity; before secrets were bound to their destination, the whole associated data. */
export const secretHeaderContext = (clienteId: string, instancia: number, nome: string) => `integracao:${clienteId}:${instancia}:${nome.toLowerCase()}`;

/** The associated data a stored secret header was sealed with: its identity and, when bound, its origins. */
export function secretHeaderAad(integracao: { clienteId: string; instancia: number }, header: Pick<StaticHeader, 'nome' | 'destinos'>): string {
  const context = secretHeaderContext(integracao.clienteId, integracao.instancia, header.nome);
  return header.destinos ? destinationAad(context, header.destinos) : context;
}

const newSegredoId = () => randomBytes(12).toString('base64url');
const listOrigins = (origins: readonly string[]) => (origins.length > 0 ? origins.join(', ') : 'nenhum endereço');

export function createIntegracoesService(deps: { db: Db; repos: { integracoes: IntegracoesRepo; grupos: GruposRepo }; clock: Clock; secretBox: SecretBox; audit: AuditService; allowlist: CidrList; invalidation?: Invalidation }) {
  const repo = deps.repos.integracoes;
  const grupos = deps.repos.grupos;
  const grupoSenhas = createGrupoSenhas({ secretBox: deps.secretBox, repo: grupos });
  const cache = new LRUCache<string, Integracao | 'ausente'>({ max: 5_000, ttl: CONFIG_CACHE_TTL_MS });
  const cacheKey = (clienteId: string, instancia: 1 | 2) => `${clienteId}:${instancia}`;
  // The cached integração's headers, opened once per cache period rather than on every call: the
  // entry goes with the integração object (an edit or the TTL replaces it); a failure is not kept.
  const openedHeaders = new WeakMap<Integracao, Readonly<Record<string, string>>>();
  const invalidation = deps.invalidation ?? createLocalInvalidation();
  invalidation.subscribe('integracao', (key) => (key === undefined ? cache.clear() : cache.delete(key)));
  const context = secretHeaderContext;
  const seal = (integracao: Pick<Integracao, 'clienteId' | 'instancia'>, nome: string, valor: string, destinos: string[]) =>
    deps.secretBox.seal(valor, destinationAad(context(integracao.clienteId, integracao.instancia, nome), destinos));

  /**
   * Opens a secret header for the integração as it is now. A value bound to origins opens only
   * while every current destination is among them, and with exactly those origins as associated
   * data; a value from before the binding opens with its old associated data (the next read
   * re-seals it). Anything else — the URLs or the sealed value edited behind Ponte's back, a key
   * no longer in the ring — is undefined: the value is not sent.
   */
  function openSecret(integracao: Integracao, header: StaticHeader): string | undefined {
    try {
      if (header.destinos && destinationsOf(integracao).some((origin) => !header.destinos!.includes(origin))) return undefined;
      return deps.secretBox.open(header.valorSelado ?? '', secretHeaderAad(integracao, header));
    } catch {
      return undefined;
    }
  }

  /**
   * Secrets sealed before the binding, sealed again for the origins the integração has now (the
   * one moment their destination is taken on trust). Returns undefined when nothing changed.
   */
  function resealLegacy(integracao: Integracao): Integracao | undefined {
    const destinos = destinationsOf(integracao);
    let changed = false;
    const headers = integracao.headers.map((h): StaticHeader => {
      if (!h.secreto || !h.valorSelado || h.destinos) return h;
      const valor = openSecret(integracao, h);
      // Unreadable (its key left the ring): left as it is; sending it fails closed.
      if (valor === undefined) return h;
      changed = true;
      return { nome: h.nome, secreto: true, valorSelado: seal(integracao, h.nome, valor, destinos), destinos, segredoId: h.segredoId ?? newSegredoId() };
    });
    return changed ? { ...integracao, headers } : undefined;
  }

  /** Reads from the database, re-sealing (and storing, compare-and-set) secrets from before the binding. */
  async function read(clienteId: string, instancia: 1 | 2): Promise<Integracao | undefined> {
    const found = await repo.find(clienteId, instancia);
    const resealed = found && resealLegacy(found);
    if (!found || !resealed) return found;
    try {
      await repo.replaceHeaders(found.id, JSON.stringify(found.headers), resealed.headers);
    } catch {
      // The database is unavailable: the old form is kept until the next read.
    }
    return resealed;
  }

  function validate(input: IntegracaoInput, instancia: 1 | 2): ErrorDetail[] {
    const details: ErrorDetail[] = [];
    const requireHttps = instancia === 2;
    if (input.baseUrl?.trim()) {
      const problem = urlProblem(input.baseUrl, { requireHttps, allowlist: deps.allowlist });
      if (problem) details.push({ field: 'baseUrl', message: `URL recusada: ${problem}.` });
    } else if (!integrationMethods.some((method) => input.metodos[method]?.url?.trim())) {
      // Saved with no URL at all, the integração would count as configured and call nothing.
      details.push({ field: 'baseUrl', message: emptyIntegracaoMessage });
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
      else if (name.toLowerCase() === 'authorization') details.push({ field, message: reservedAuthorizationMessage });
      else if (seen.has(name.toLowerCase())) details.push({ field, message: `O header "${name}" aparece mais de uma vez.` });
      seen.add(name.toLowerCase());
      if (header.valor !== undefined && !isValidHeaderValue(header.valor)) {
        details.push({ field: `headers[${index}].valor`, message: 'O valor não pode conter quebras de linha, caracteres de controle nem caracteres fora do Latin-1 (ex.: U+2028), nem passar de 8192 caracteres.' });
      }
    });
    return details;
  }

  /**
   * The headers to store, with every secret sealed for `destinos` (the origins of the
   * integração being saved). A secret typed again is sealed as typed. One left out keeps the
   * stored value only while `destinos` stays within the origins it was sealed for: a URL moved to
   * another origin needs the value typed again (a detail at its `valor`), since whoever moves the
   * URL may not know the secret they would be sending there. Problems go to `details`.
   */
  function sealHeaders(input: IntegracaoInput, previous: Integracao | undefined, target: Pick<Integracao, 'clienteId' | 'instancia'>, destinos: string[], details: ErrorDetail[]): StaticHeader[] {
    return input.headers.map((header, index): StaticHeader => {
      const nome = header.nome.trim();
      const field = `headers[${index}].valor`;
      if (!header.secreto) return { nome, secreto: false, valor: header.valor ?? '' };
      if (header.valor !== undefined) {
        return { nome, secreto: true, valorSelado: seal(target, nome, header.valor, destinos), destinos, segredoId: header.copiaDe ?? newSegredoId() };
      }
      const kept = previous?.headers.find((h) => h.secreto && h.nome.toLowerCase() === nome.toLowerCase());
      if (!previous || !kept?.valorSelado) {
        details.push({ field, message: `Informe o valor do header secreto "${nome}".` });
        return { nome, secreto: true };
      }
      // Before the binding a value was sent wherever the integração pointed: that is what it is bound to now.
      const sealedFor = kept.destinos ?? destinationsOf(previous);
      const novos = destinos.filter((origin) => !sealedFor.includes(origin));
      if (novos.length > 0) {
        details.push({
          field,
          message: `A URL mudou de origem (de ${listOrigins(sealedFor)} para ${listOrigins(destinos)}): digite o valor do header secreto "${nome}" de novo para enviá-lo ao novo endereço.`,
        });
        return { nome, secreto: true };
      }
      if (kept.destinos && kept.destinos.join(' ') === destinos.join(' ')) return { ...kept, nome };
      // Fewer origins than before (or the old form): sealed again for exactly the current ones.
      const valor = openSecret(previous, kept);
      if (valor === undefined) {
        details.push({ field, message: `O valor guardado do header secreto "${nome}" não pôde ser lido (foi alterado fora do painel, ou a chave que o cifrou saiu do anel): digite-o de novo.` });
        return { nome, secreto: true };
      }
      return { nome, secreto: true, valorSelado: seal(target, nome, valor, destinos), destinos, segredoId: kept.segredoId ?? newSegredoId() };
    });
  }

  /** What the audit log keeps: secret values masked. */
  const describe = (i: Integracao | undefined) =>
    i && {
      baseUrl: i.baseUrl,
      timeoutMs: i.timeoutMs,
      grupoId: i.grupoId,
      grupoDestinos: i.grupoDestinos ?? null,
      metodos: i.metodos,
      headers: i.headers.map((h) => ({ nome: h.nome, valor: h.secreto ? '***' : h.valor })),
    };

  return {
    async get(clienteId: string, instancia: 1 | 2): Promise<Integracao | undefined> {
      const key = cacheKey(clienteId, instancia);
      const cached = cache.get(key);
      if (cached !== undefined) return cached === 'ausente' ? undefined : cached;
      const found = await read(clienteId, instancia);
      cache.set(key, found ?? 'ausente');
      return found;
    },

    /** Straight from the database (no cache), for a comparison that must show what a save just wrote. */
    read,

    /** What `save` would refuse in `input` for this instância (URLs, suffixes, headers), without saving. */
    validateFor(input: IntegracaoInput, instancia: 1 | 2): ErrorDetail[] {
      return validate(input, instancia);
    },

    /** `auditAction` names the change in the audit log when it is not a plain edit (e.g. a copy from Sandbox). */
    async save(input: IntegracaoInput & { clienteId: string; instancia: 1 | 2; actor: AuditActor; auditAction?: string }): Promise<Integracao> {
      const details = validate(input, input.instancia);
      const found = input.grupoId ? await grupos.findById(input.grupoId) : undefined;
      const grupo = found && found.clienteId === input.clienteId && found.instancia === input.instancia ? found : undefined;
      if (input.grupoId && !grupo) details.push({ field: 'grupoId', message: 'Grupo de autorização não encontrado nesta instância.' });
      const previous = await repo.find(input.clienteId, input.instancia);
      const now = deps.clock.now();
      const metodos: Integracao['metodos'] = {};
      for (const method of integrationMethods) {
        const given = input.metodos[method];
        const config: MethodConfig = {};
        if (given?.url) config.url = given.url.trim();
        // elegibilidade has no form: Ponte builds its body.
        if (given?.formularioId && isFormMethod(method)) config.formularioId = given.formularioId;
        if (config.url || config.formularioId) metodos[method] = config;
      }
      const baseUrl = input.baseUrl?.trim() || null;
      // Secrets are checked against where the integração will point only when those URLs are valid.
      const urlsValid = !details.some((d) => d.field === 'baseUrl' || d.field?.startsWith('metodos.'));
      const destinos = destinationsOf({ baseUrl, metodos });
      const headers = urlsValid ? sealHeaders(input, previous, input, destinos, details) : [];
      const grupoDestinos =
        grupo && urlsValid
          ? confirmGrupoDestinations({ previous, previousDestinos: previous ? destinationsOf(previous) : [], grupo, destinos, senhaGrupo: input.senhaGrupo, senhas: grupoSenhas, details })
          : undefined;
      if (details.length > 0) throw new AppError('VALIDATION_FAILED', undefined, { details });
      const integracao: Integracao = {
        id: previous?.id ?? newId('integracao'),
        clienteId: input.clienteId,
        instancia: input.instancia,
        baseUrl,
        metodos,
        timeoutMs: input.timeoutMs ?? previous?.timeoutMs ?? integrationLimits.defaultTimeoutMs,
        headers,
        grupoId: input.grupoId,
        grupoDestinos,
        updatedBy: input.actor.userId,
        createdAt: previous?.createdAt ?? now,
        updatedAt: now,
      };
      await deps.db.transaction().execute(async (trx) => {
        await repo.upsert(integracao, trx);
        await deps.audit.record(
          {
            clienteId: input.clienteId,
            instancia: input.instancia,
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
            instancia: input.instancia,
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

    /**
     * Turns elegibilidade on or off and sets the relogin interval (null: off). The caller has run
     * the live check before turning it on (chave-auth/elegibilidade.service.ts); here: the method
     * must have a URL. Audited; every node drops its cached copy.
     */
    async setElegibilidade(input: { clienteId: string; instancia: 1 | 2; ativa: boolean; reloginHoras: number | null; actor: AuditActor }): Promise<Integracao> {
      const previous = await repo.find(input.clienteId, input.instancia);
      if (!previous || !effectiveUrl(previous, 'elegibilidade')) {
        throw new AppError('VALIDATION_FAILED', 'Configure a URL da elegibilidade (ou a URL base) nesta instância antes de ativá-la ou de definir o relogin.', {
          details: [{ field: 'metodos.elegibilidade.url', message: 'Informe a URL da elegibilidade ou a URL base da integração.' }],
        });
      }
      const now = deps.clock.now();
      const next: Integracao = { ...previous, elegibilidadeAtiva: input.ativa, reloginHoras: input.reloginHoras, updatedBy: input.actor.userId, updatedAt: now };
      await deps.db.transaction().execute(async (trx) => {
        await repo.setElegibilidade(previous.id, { ativa: input.ativa, reloginHoras: input.reloginHoras, updatedBy: input.actor.userId, updatedAt: now }, trx);
        await deps.audit.record(
          {
            clienteId: input.clienteId,
            actor: input.actor,
            action: 'integracao.elegibilidade',
            targetType: 'integracao',
            targetId: previous.id,
            before: { ativa: previous.elegibilidadeAtiva ?? false, reloginHoras: previous.reloginHoras ?? null },
            after: { ativa: input.ativa, reloginHoras: input.reloginHoras },
          },
          trx,
        );
      });
      await invalidation.publish('integracao', cacheKey(input.clienteId, input.instancia));
      return next;
    },

    /**
     * The static headers with secret values opened; only the layer that sends them calls this.
     * Fails closed: when a secret does not open for the integração's current origins (its URLs
     * or the sealed value were edited behind Ponte's back) nothing is sent — 502
     * OPERATOR_UNAVAILABLE saying which header to type again, thrown before any call is made.
     */
    openHeaders(integracao: Integracao): Readonly<Record<string, string>> {
      const opened = openedHeaders.get(integracao);
      if (opened) return opened;
      const headers: Record<string, string> = {};
      for (const h of integracao.headers) {
        if (!h.secreto) {
          headers[h.nome] = h.valor ?? '';
          continue;
        }
        const valor = openSecret(integracao, h);
        if (valor === undefined) {
          throw new AppError(
            'OPERATOR_UNAVAILABLE',
            `O valor guardado do header secreto "${h.nome}" não vale para os endereços atuais da integração (foram alterados fora do painel, ou a chave que o cifrou saiu do anel), então a Ponte não fez a chamada. Digite o valor de novo em Integração.`,
          );
        }
        headers[h.nome] = valor;
      }
      openedHeaders.set(integracao, Object.freeze(headers));
      return headers;
    },
  };
}

export type IntegracoesService = ReturnType<typeof createIntegracoesService>;

import type { SecretBox } from '../../platform/crypto.ts';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';
import { isForbiddenHeaderName, isValidHeaderName, isValidHeaderValue } from '../../platform/http/header-names.ts';
import { maskText, redactFreeText, redactOperatorBody, redactSecrets, redactUrl } from '../../platform/redaction.ts';
import { contracts } from '../contracts/contracts.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';
import type { Violation } from '../contracts/validator.ts';
import type { GruposService } from '../grupos/grupos.service.ts';
import { redactRequestBody } from '../log-center/log-center.redaction.ts';
import type { OperatorCaller, OperatorCallOutcome } from '../operator-call/operator-call.ts';
import { secretBlocked, type OutboundOutcome, type OutboundService, type SegurancaPair } from '../outbound/outbound.service.ts';

const MAX_SHOWN_RESPONSE_CHARS = 64 * 1024;

/**
 * Who sees a report: `completo` for a cliente admin (or platform admin), who configures the
 * operator and may read what it answers, senhas still masked; `mascarado` for everyone else —
 * and the CLI, whose output ends up in CI logs — with the central de logs' redaction.
 */
export type ReportView = 'completo' | 'mascarado';

/**
 * What a run means for the person reading it — finer than the outcome: an operator's "no" that
 * follows the failure contract (`{mensagem}` with a 4xx) is a *recusa conforme o contrato*, which
 * is exactly what a negative test wants; a 5xx is the operator failing, not refusing; a 3xx is a
 * redirect Ponte never follows.
 */
export const classificacoes = [
  'aprovado',
  'recusa_conforme_contrato',
  'erro_operadora',
  'redirecionamento',
  'violacao_contrato',
  'indisponivel',
  'bloqueado',
  'nao_configurado',
] as const;
export type Classificacao = (typeof classificacoes)[number];

/** What a test expects: a success (default), or a refusal that follows the contract (a negative test). */
export type Expectativa = 'sucesso' | 'recusa';

/** Where a header sent on the run came from, so a 401 can be explained without showing any value. */
export type HeaderOrigem = 'configuracao' | 'login_de_teste' | 'extra';

/** What the validador shows: the request (redacted), the answer, the time and every violation. */
export type ValidationReport = {
  metodo: OperatorMethod;
  aprovado: boolean;
  resultado: OutboundOutcome['kind'];
  classificacao: Classificacao;
  expectativa: Expectativa;
  mensagem: string | null;
  /** Why a 401 (or a refusal of a method that needs the user's headers) happened, in plain words. */
  explicacao: string | null;
  /** True when the answer is masked as the central de logs stores it (everyone but admins). */
  mascarado: boolean;
  requisicao: { url: string | null; headers: string[]; origemHeaders: Record<string, HeaderOrigem>; corpo: unknown };
  resposta: { status: number; statusText: string; corpo: string; location: string | null } | null;
  latenciaMs: number | null;
  violacoes: Violation[];
  /** The login (or identificação) run first with test credentials, when asked for. */
  preparo: (Omit<ValidationReport, 'preparo'> & { preparo: null }) | null;
};

const summaries: Record<OutboundOutcome['kind'], string> = {
  sucesso: 'A resposta segue o contrato.',
  violacao_contrato: 'A resposta de sucesso não segue o contrato.',
  recusado_pela_operadora: 'A operadora respondeu com falha.',
  falha_comunicacao: 'A chamada não se completou.',
  bloqueado: 'A chamada foi bloqueada antes de sair.',
  nao_configurado: 'O método não está configurado.',
};

/** The finer reading of an outcome (see `classificacoes`). */
export function classify(outcome: OutboundOutcome): Classificacao {
  switch (outcome.kind) {
    case 'sucesso':
      return 'aprovado';
    case 'violacao_contrato':
      return 'violacao_contrato';
    case 'falha_comunicacao':
      return 'indisponivel';
    case 'bloqueado':
      return outcome.reason === 'circuito_aberto' || outcome.reason === 'limite_concorrencia' ? 'indisponivel' : 'bloqueado';
    case 'nao_configurado':
      return 'nao_configurado';
    case 'recusado_pela_operadora':
      if (outcome.status >= 300 && outcome.status < 400) return 'redirecionamento';
      if (outcome.status >= 500) return 'erro_operadora';
      // A 4xx whose body breaks the failure contract ({mensagem: String}) is not a conforming "no".
      return outcome.violations.length === 0 ? 'recusa_conforme_contrato' : 'violacao_contrato';
  }
}

const classificacaoSummaries: Partial<Record<Classificacao, (outcome: OutboundOutcome) => string>> = {
  recusa_conforme_contrato: (o) => `A operadora recusou (HTTP ${'status' in o ? o.status : '?'}) no formato do contrato.`,
  erro_operadora: (o) => `Erro da operadora (HTTP ${'status' in o ? o.status : '?'}): o servidor dela falhou ao processar a chamada.`,
  redirecionamento: (o) => {
    const location = locationOf(o);
    return `Redirecionamento não seguido (HTTP ${'status' in o ? o.status : '?'}${location ? `, Location ${location}` : ', sem Location'}): a Ponte nunca segue redirecionamentos — configure a URL final do método.`;
  },
  violacao_contrato: (o) =>
    o.kind === 'recusado_pela_operadora' ? `A resposta de falha (HTTP ${o.status}) não segue o contrato: toda falha deve trazer {"mensagem": String}.` : summaries.violacao_contrato,
};

const HEADER_ORIGIN_LABELS: Record<HeaderOrigem, string> = { configuracao: 'da integração ou do grupo', login_de_teste: 'do login de teste (seguranca)', extra: 'extra, digitado aqui' };

/** Methods whose call needs the headers and data of a previous step (the user's session or recovery). */
export function prerequisiteOf(method: OperatorMethod): Exclude<OperatorMethod, 'autorizacao'> | null {
  if (method === 'recuperarSenhaNovaSenha') return 'recuperarSenhaIdentificacao';
  // elegibilidade is called without a session too (chaveAuth): a chave única is enough.
  if (method === 'autorizacao' || method === 'login' || method === 'recuperarSenhaIdentificacao' || method === 'elegibilidade') return null;
  // trocarSenha and any later per-user method: what a logged-in user sends.
  return 'login';
}

function explain(
  method: OperatorMethod,
  outcome: OutboundOutcome,
  origins: Record<string, HeaderOrigem>,
  chained: boolean,
): string | null {
  const status = outcome.kind === 'recusado_pela_operadora' ? outcome.status : null;
  const needsSession = prerequisiteOf(method) !== null;
  if (status !== 401 && !(needsSession && !chained && status !== null && status >= 400 && status < 500)) return null;
  const names = Object.keys(origins);
  const sent =
    names.length === 0
      ? 'Nenhum header além de Content-Type e Accept foi enviado.'
      : `Headers enviados: ${names.map((n) => `${n} (${HEADER_ORIGIN_LABELS[origins[n]!]})`).join(', ')}.`;
  const hint = needsSession && !chained
    ? ` Este método precisa dos headers de seguranca do usuário: use "Executar com login de teste" (${prerequisiteOf(method) === 'login' ? 'login' : 'identificação'} com dados de teste) ou informe-os em "Headers extras".`
    : status === 401
      ? ' Confira se a operadora espera outro header (ou outro valor) — adicione-o em "Headers extras" para testar.'
      : '';
  return `${status === 401 ? 'A operadora respondeu 401 (não autorizado). ' : ''}${sent}${hint}`;
}

/** Turns an operator call's outcome into the validador's report for `view`; shared by the painel and the CLI. */
export function toValidationReport(
  method: OperatorMethod,
  body: unknown,
  outcome: OutboundOutcome,
  view: ReportView,
  options: { expectativa?: Expectativa | undefined; origins?: Record<string, HeaderOrigem>; preparo?: ValidationReport['preparo']; chained?: boolean } = {},
): ValidationReport {
  const masked = view === 'mascarado';
  const expectativa = options.expectativa ?? 'sucesso';
  const violations = 'violations' in outcome ? outcome.violations : [];
  const classificacao = classify(outcome);
  const detail = 'message' in outcome ? outcome.message : outcome.kind === 'recusado_pela_operadora' ? (outcome.mensagem ?? null) : null;
  const summary = classificacaoSummaries[classificacao]?.(outcome) ?? summaries[outcome.kind];
  const mensagem = detail ? `${summary} ${classificacao === 'recusa_conforme_contrato' ? `Mensagem: "${detail}"` : detail}` : summary;
  const response = outcome.exchange?.response;
  const url = outcome.exchange?.url ?? null;
  const headerNames = outcome.exchange?.headerNames ?? [];
  const origins: Record<string, HeaderOrigem> = {};
  const lowerOrigins = new Map(Object.entries(options.origins ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const name of headerNames) origins[name] = lowerOrigins.get(name.toLowerCase()) ?? 'configuracao';
  const explicacao = explain(method, outcome, origins, options.chained ?? false);
  const location = locationOf(outcome) ?? null;
  return {
    metodo: method,
    aprovado: expectativa === 'recusa' ? classificacao === 'recusa_conforme_contrato' : outcome.kind === 'sucesso',
    resultado: outcome.kind,
    classificacao,
    expectativa,
    mensagem: masked ? maskText(mensagem) : mensagem,
    explicacao,
    mascarado: masked,
    requisicao: {
      url: url !== null && masked ? redactUrl(url) : url,
      headers: headerNames,
      origemHeaders: origins,
      corpo: masked ? redactRequestBody(method, body) : redactSecrets(body),
    },
    resposta: response
      ? {
          status: response.status,
          statusText: masked ? maskText(response.statusText) : response.statusText,
          corpo: masked ? redactOperatorBody(response.bodyText) : response.bodyText.slice(0, MAX_SHOWN_RESPONSE_CHARS),
          location: location === null ? null : masked ? redactUrl(location) : location,
        }
      : null,
    latenciaMs: outcome.exchange?.latencyMs ?? null,
    violacoes: masked ? (redactFreeText(violations) as Violation[]) : violations,
    preparo: options.preparo ?? null,
  };
}

export type ExtraHeader = { nome: string; valor: string };

/** Extra headers typed in the painel: valid names and values, never a hop-by-hop or framing header. */
export function assertExtraHeaders(headers: readonly ExtraHeader[]): void {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  headers.forEach((h, i) => {
    const nome = h.nome.trim();
    if (!isValidHeaderName(nome)) details.push({ field: `headersExtras.${i}.nome`, message: `"${nome.slice(0, 60)}" não é um nome de header válido: use letras, dígitos e - _ . (sem espaços).` });
    else if (isForbiddenHeaderName(nome)) details.push({ field: `headersExtras.${i}.nome`, message: `O header ${nome} é controlado pelo HTTP e não pode ser enviado pela Ponte.` });
    else if (seen.has(nome.toLowerCase())) details.push({ field: `headersExtras.${i}.nome`, message: `O header ${nome} aparece mais de uma vez.` });
    if (!isValidHeaderValue(h.valor)) details.push({ field: `headersExtras.${i}.valor`, message: 'O valor tem quebra de linha ou caracteres que um header não aceita.' });
    seen.add(nome.toLowerCase());
  });
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', undefined, { details });
}

/** The never-followed `Location` of a redirect, when the operator sent one. */
const locationOf = (outcome: OutboundOutcome): string | undefined => (outcome.exchange as { location?: string } | null)?.location;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The seguranca pairs, chaveUnica and integracao a successful login or identificação returned. */
function sessionFrom(method: OperatorMethod, value: unknown): { seguranca: SegurancaPair[]; chaveUnica: string | undefined; integracao: unknown } {
  const root = isRecord(value) ? value : {};
  const seguranca = isRecord(root.seguranca) && Array.isArray(root.seguranca.auth) ? root.seguranca.auth.filter(isRecord) : [];
  const pairs = seguranca
    .filter((p) => typeof p.chave === 'string' && typeof p.token === 'string')
    .map((p) => ({ chave: p.chave as string, token: p.token as string, expiracao: typeof p.expiracao === 'number' ? p.expiracao : null }));
  const owner = method === 'login' && isRecord(root.usuarioLogado) ? root.usuarioLogado : root;
  return { seguranca: pairs, chaveUnica: typeof owner.chaveUnica === 'string' ? owner.chaveUnica : undefined, integracao: owner.integracao };
}

export type ValidadorRunInput = {
  clienteId: string;
  instancia: 1 | 2;
  method: OperatorMethod;
  body: Record<string, unknown>;
  grupoId?: string | undefined;
  correlationId?: string;
  view: ReportView;
  expectativa?: Expectativa | undefined;
  /** Run the method's prerequisite (login, or identificação for nova senha) first with this entrada, and reuse its seguranca and data. */
  loginDeTeste?: { entrada: Record<string, unknown> } | undefined;
  headersExtras?: readonly ExtraHeader[] | undefined;
};

/**
 * The painel's validador de integração: runs a method against the instância's real configuration
 * with test input. `autorizacao` runs against a grupo's endpoint with its stored credentials.
 * Methods that need the user's `seguranca` headers (nova senha, trocar senha) can chain a login or
 * identificação with test credentials first, as the app would; extra headers go with the highest
 * precedence, as a user's seguranca pairs do.
 */
export function createValidadorService(deps: { outbound: OutboundService; grupos: GruposService; callOperator: OperatorCaller; secretBox: SecretBox }) {
  async function runAutorizacao(input: ValidadorRunInput): Promise<ValidationReport> {
    if (!input.grupoId) throw new AppError('VALIDATION_FAILED', undefined, { details: [{ field: 'grupoId', message: 'Escolha o grupo de autorização a validar.' }] });
    const grupo = await deps.grupos.get(input.clienteId, input.grupoId);
    if (grupo.instancia !== input.instancia) throw new AppError('NOT_FOUND', 'Grupo de autorização não encontrado nesta instância.');
    const extra = Object.fromEntries((input.headersExtras ?? []).map((h) => [h.nome.trim(), h.valor]));
    const origins = Object.fromEntries(Object.keys(extra).map((n) => [n, 'extra' as const]));
    const options = { expectativa: input.expectativa, origins };
    // Opened for the grupo's current origin only; otherwise nothing is sent and the report says why.
    let senha: string;
    try {
      senha = await deps.grupos.senhaParaEnvio(grupo);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return toValidationReport('autorizacao', { usuario: grupo.usuario }, secretBlocked(grupo.url, error.message), input.view, options);
    }
    const body = { usuario: grupo.usuario, senha };
    const outcome: OperatorCallOutcome = await deps.callOperator({
      clienteId: input.clienteId,
      instancia: grupo.instancia,
      method: 'autorizacao',
      url: grupo.url,
      headers: extra,
      body,
      timeoutMs: 10_000,
      correlationId: input.correlationId,
    });
    return toValidationReport('autorizacao', body, outcome, input.view, options);
  }

  return {
    async run(input: ValidadorRunInput): Promise<ValidationReport> {
      assertExtraHeaders(input.headersExtras ?? []);
      if (input.method === 'autorizacao') return runAutorizacao(input);

      const extras: SegurancaPair[] = (input.headersExtras ?? []).map((h) => ({ chave: h.nome.trim(), token: h.valor }));
      const origins: Record<string, HeaderOrigem> = {};
      let body = input.body;
      let seguranca: SegurancaPair[] = [];
      let preparo: ValidationReport['preparo'] = null;

      const prerequisite = prerequisiteOf(input.method);
      if (input.loginDeTeste && prerequisite) {
        const first = await deps.outbound.call({
          clienteId: input.clienteId,
          instancia: input.instancia,
          method: prerequisite,
          body: input.loginDeTeste.entrada,
          seguranca: extras,
          chaveUsuario: keyOf(input.loginDeTeste.entrada),
          correlationId: input.correlationId,
        });
        preparo = { ...toValidationReport(prerequisite, input.loginDeTeste.entrada, first, input.view, { origins: originsOf(extras, 'extra') }), preparo: null };
        if (first.kind !== 'sucesso') {
          // Without a session the method would only be refused: say so instead of calling it.
          const stopped: OutboundOutcome = { kind: 'nao_configurado', message: '', exchange: null };
          const report = toValidationReport(input.method, body, stopped, input.view, { expectativa: input.expectativa, preparo });
          const step = prerequisite === 'login' ? 'O login de teste' : 'A identificação de teste';
          return {
            ...report,
            aprovado: false,
            resultado: preparo.resultado,
            classificacao: preparo.classificacao,
            mensagem: `${step} não foi aprovado (${preparo.mensagem ?? preparo.classificacao}); ${input.method} não foi chamado.`,
          };
        }
        const session = sessionFrom(prerequisite, first.value);
        seguranca = session.seguranca;
        Object.assign(origins, originsOf(seguranca, 'login_de_teste'));
        body = { ...(session.chaveUnica !== undefined ? { chaveUnica: session.chaveUnica } : {}), integracao: session.integracao ?? {}, ...input.body };
      }
      Object.assign(origins, originsOf(extras, 'extra'));

      const outcome = await deps.outbound.call({
        clienteId: input.clienteId,
        instancia: input.instancia,
        method: input.method,
        body,
        // Extra headers last: they win a name clash, as the person typing them means.
        seguranca: [...seguranca, ...extras],
        chaveUsuario: keyOf(body),
        correlationId: input.correlationId,
      });
      return toValidationReport(input.method, body, outcome, input.view, { expectativa: input.expectativa, origins, preparo, chained: preparo !== null });
    },
  };
}

function keyOf(body: Record<string, unknown>): string | undefined {
  for (const name of ['chaveUnica', 'login', 'cpf']) if (typeof body[name] === 'string') return body[name] as string;
  return undefined;
}

function originsOf(pairs: readonly SegurancaPair[], origin: HeaderOrigem): Record<string, HeaderOrigem> {
  return Object.fromEntries(pairs.map((p) => [p.chave, origin]));
}

export type ValidadorService = ReturnType<typeof createValidadorService>;

export const validatableMethods = Object.keys(contracts) as OperatorMethod[];

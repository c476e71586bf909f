import type { SecretBox } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { maskText, redactFreeText, redactOperatorBody, redactSecrets, redactUrl } from '../../platform/redaction.ts';
import { contracts } from '../contracts/contracts.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';
import type { Violation } from '../contracts/validator.ts';
import type { GruposService } from '../grupos/grupos.service.ts';
import { redactRequestBody } from '../log-center/log-center.redaction.ts';
import type { OperatorCaller, OperatorCallOutcome } from '../outbound/operator-call.ts';
import type { OutboundOutcome, OutboundService } from '../outbound/outbound.service.ts';

const MAX_SHOWN_RESPONSE_CHARS = 64 * 1024;

/**
 * Who sees a report: `completo` for a cliente admin (or platform admin), who configures the
 * operator and may read what it answers, senhas still masked; `mascarado` for everyone else —
 * and the CLI, whose output ends up in CI logs — with the central de logs' redaction.
 */
export type ReportView = 'completo' | 'mascarado';

/** What the validador shows: the request (redacted), the answer, the time and every violation. */
export type ValidationReport = {
  metodo: OperatorMethod;
  aprovado: boolean;
  resultado: OutboundOutcome['kind'];
  mensagem: string | null;
  /** True when the answer is masked as the central de logs stores it (everyone but admins). */
  mascarado: boolean;
  requisicao: { url: string | null; headers: string[]; corpo: unknown };
  resposta: { status: number; statusText: string; corpo: string } | null;
  latenciaMs: number | null;
  violacoes: Violation[];
};

const summaries: Record<OutboundOutcome['kind'], string> = {
  sucesso: 'A resposta segue o contrato.',
  violacao_contrato: 'A resposta de sucesso não segue o contrato.',
  recusado_pela_operadora: 'A operadora respondeu com falha.',
  falha_comunicacao: 'A chamada não se completou.',
  bloqueado: 'A chamada foi bloqueada antes de sair.',
  nao_configurado: 'O método não está configurado.',
};

/** Turns an operator call's outcome into the validador's report for `view`; shared by the painel and the CLI. */
export function toValidationReport(method: OperatorMethod, body: unknown, outcome: OutboundOutcome, view: ReportView): ValidationReport {
  const masked = view === 'mascarado';
  const violations = 'violations' in outcome ? outcome.violations : [];
  const detail = 'message' in outcome ? outcome.message : outcome.kind === 'recusado_pela_operadora' ? (outcome.mensagem ?? null) : null;
  const mensagem = detail ? `${summaries[outcome.kind]} ${detail}` : summaries[outcome.kind];
  const response = outcome.exchange?.response;
  const url = outcome.exchange?.url ?? null;
  return {
    metodo: method,
    aprovado: outcome.kind === 'sucesso',
    resultado: outcome.kind,
    mensagem: masked ? maskText(mensagem) : mensagem,
    mascarado: masked,
    requisicao: {
      url: url !== null && masked ? redactUrl(url) : url,
      headers: outcome.exchange?.headerNames ?? [],
      corpo: masked ? redactRequestBody(method, body) : redactSecrets(body),
    },
    resposta: response
      ? {
          status: response.status,
          statusText: masked ? maskText(response.statusText) : response.statusText,
          corpo: masked ? redactOperatorBody(response.bodyText) : response.bodyText.slice(0, MAX_SHOWN_RESPONSE_CHARS),
        }
      : null,
    latenciaMs: outcome.exchange?.latencyMs ?? null,
    violacoes: masked ? (redactFreeText(violations) as Violation[]) : violations,
  };
}

/**
 * The painel's validador de integração: runs a method against the instância's real configuration
 * with test input. `autorizacao` runs against a grupo's endpoint with its stored credentials.
 */
export function createValidadorService(deps: { outbound: OutboundService; grupos: GruposService; callOperator: OperatorCaller; secretBox: SecretBox }) {
  return {
    async run(input: { clienteId: string; instancia: 1 | 2; method: OperatorMethod; body: Record<string, unknown>; grupoId?: string | undefined; correlationId?: string; view: ReportView }) {
      if (input.method === 'autorizacao') {
        if (!input.grupoId) throw new AppError('VALIDATION_FAILED', undefined, { details: [{ field: 'grupoId', message: 'Escolha o grupo de autorização a validar.' }] });
        const grupo = await deps.grupos.get(input.clienteId, input.grupoId);
        if (grupo.instancia !== input.instancia) throw new AppError('NOT_FOUND', 'Grupo de autorização não encontrado nesta instância.');
        // Opened for the grupo's current origin only; otherwise nothing is sent (502 saying what to do).
        const body = { usuario: grupo.usuario, senha: await deps.grupos.senhaParaEnvio(grupo) };
        const outcome: OperatorCallOutcome = await deps.callOperator({
          clienteId: input.clienteId,
          instancia: grupo.instancia,
          method: 'autorizacao',
          url: grupo.url,
          headers: {},
          body,
          timeoutMs: 10_000,
          correlationId: input.correlationId,
        });
        return toValidationReport('autorizacao', body, outcome, input.view);
      }
      const chaveUnica = typeof input.body.chaveUnica === 'string' ? input.body.chaveUnica : undefined;
      const login = typeof input.body.login === 'string' ? input.body.login : undefined;
      const outcome = await deps.outbound.call({
        clienteId: input.clienteId,
        instancia: input.instancia,
        method: input.method,
        body: input.body,
        chaveUsuario: chaveUnica ?? login,
        correlationId: input.correlationId,
      });
      return toValidationReport(input.method, input.body, outcome, input.view);
    },
  };
}

export type ValidadorService = ReturnType<typeof createValidadorService>;

export const validatableMethods = Object.keys(contracts) as OperatorMethod[];

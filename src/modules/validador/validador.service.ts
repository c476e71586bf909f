import type { SecretBox } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { contracts } from '../contracts/contracts.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';
import type { Violation } from '../contracts/validator.ts';
import type { GruposService } from '../grupos/grupos.service.ts';
import { redactJson } from '../log-center/log-center.redaction.ts';
import type { OperatorCaller, OperatorCallOutcome } from '../outbound/operator-call.ts';
import type { OutboundOutcome, OutboundService } from '../outbound/outbound.service.ts';

const MAX_SHOWN_RESPONSE_CHARS = 64 * 1024;

/** What the validador shows: the request (redacted), the answer, the time and every violation. */
export type ValidationReport = {
  metodo: OperatorMethod;
  aprovado: boolean;
  resultado: OutboundOutcome['kind'];
  mensagem: string | null;
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

/** Turns an operator call's outcome into the validador's report; shared by the painel and the CLI. */
export function toValidationReport(method: OperatorMethod, body: unknown, outcome: OutboundOutcome): ValidationReport {
  const violations = 'violations' in outcome ? outcome.violations : [];
  const detail = 'message' in outcome ? outcome.message : outcome.kind === 'recusado_pela_operadora' ? (outcome.mensagem ?? null) : null;
  const response = outcome.exchange?.response;
  return {
    metodo: method,
    aprovado: outcome.kind === 'sucesso',
    resultado: outcome.kind,
    mensagem: detail ? `${summaries[outcome.kind]} ${detail}` : summaries[outcome.kind],
    requisicao: { url: outcome.exchange?.url ?? null, headers: outcome.exchange?.headerNames ?? [], corpo: redactJson(body) },
    resposta: response
      ? { status: response.status, statusText: response.statusText, corpo: response.bodyText.slice(0, MAX_SHOWN_RESPONSE_CHARS) }
      : null,
    latenciaMs: outcome.exchange?.latencyMs ?? null,
    violacoes: violations,
  };
}

/**
 * The painel's validador de integração: runs a method against the instância's real configuration
 * with test input. `autorizacao` runs against a grupo's endpoint with its stored credentials.
 */
export function createValidadorService(deps: { outbound: OutboundService; grupos: GruposService; callOperator: OperatorCaller; secretBox: SecretBox }) {
  return {
    async run(input: { clienteId: string; instancia: 1 | 2; method: OperatorMethod; body: Record<string, unknown>; grupoId?: string | undefined; correlationId?: string }) {
      if (input.method === 'autorizacao') {
        if (!input.grupoId) throw new AppError('VALIDATION_FAILED', undefined, { details: [{ field: 'grupoId', message: 'Escolha o grupo de autorização a validar.' }] });
        const grupo = await deps.grupos.get(input.clienteId, input.grupoId);
        if (grupo.instancia !== input.instancia) throw new AppError('NOT_FOUND', 'Grupo de autorização não encontrado nesta instância.');
        const body = { usuario: grupo.usuario, senha: deps.secretBox.open(grupo.senhaSelada, `grupo:${grupo.id}`) };
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
        return toValidationReport('autorizacao', body, outcome);
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
      return toValidationReport(input.method, input.body, outcome);
    },
  };
}

export type ValidadorService = ReturnType<typeof createValidadorService>;

export const validatableMethods = Object.keys(contracts) as OperatorMethod[];

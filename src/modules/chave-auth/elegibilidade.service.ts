import { AppError, type ErrorDetail } from '../../platform/errors.ts';
import type { AuditActor } from '../audit/audit.service.ts';
import type { IntegracoesService } from '../integracoes/integracoes.service.ts';
import type { ValidadorService } from '../validador/validador.service.ts';

export const reloginLimits = { minHoras: 1, maxHoras: 24 * 30 } as const;

/** Violations listed in the refusal of an activation, at most. */
const MAX_DETAILS = 10;

/**
 * Activating elegibilidade (platform reference §2.4): it must be configured and **activated** per
 * instância before chaveAuth, authenticated embeds and relogin use it. Turning it on runs the
 * validador's live check with a chave única the painel user gives; a failing check refuses the
 * activation, saying why. The relogin interval is saved with it (null: off).
 */
export function createElegibilidadeService(deps: { integracoes: Pick<IntegracoesService, 'get' | 'setElegibilidade'>; validador: Pick<ValidadorService, 'run'> }) {
  return {
    async save(input: { clienteId: string; instancia: 1 | 2; ativa: boolean; reloginHoras: number | null; chaveUnicaTeste?: string | undefined; actor: AuditActor; correlationId?: string }) {
      const current = await deps.integracoes.get(input.clienteId, input.instancia);
      const turningOn = input.ativa && !current?.elegibilidadeAtiva;
      const chaveUnica = input.chaveUnicaTeste?.trim();
      if (turningOn && !chaveUnica) {
        throw new AppError('VALIDATION_FAILED', 'Para ativar a elegibilidade, informe a chave única de um beneficiário de teste: a Ponte chama a elegibilidade com ela e só ativa se a resposta seguir o contrato.', {
          details: [{ field: 'chaveUnicaTeste', message: 'Informe a chave única (CPF) de um beneficiário de teste.' }],
        });
      }
      if (input.ativa && chaveUnica) {
        const report = await deps.validador.run({
          clienteId: input.clienteId,
          instancia: input.instancia,
          method: 'elegibilidade',
          body: { chaveUnica, integracao: {} },
          view: 'mascarado',
          ...(input.correlationId ? { correlationId: input.correlationId } : {}),
        });
        if (!report.aprovado) {
          const details: ErrorDetail[] = report.violacoes.slice(0, MAX_DETAILS).map((v) => ({ field: 'chaveUnicaTeste', message: v.mensagem }));
          if (details.length === 0) details.push({ field: 'chaveUnicaTeste', message: report.mensagem ?? 'A elegibilidade não respondeu com sucesso.' });
          throw new AppError(
            'VALIDATION_FAILED',
            `A elegibilidade não passou na verificação ao vivo e continua desativada: ${report.mensagem ?? 'resposta fora do contrato.'} Corrija e tente de novo (o validador de integração mostra a chamada completa).`,
            { details },
          );
        }
      }
      const saved = await deps.integracoes.setElegibilidade({ clienteId: input.clienteId, instancia: input.instancia, ativa: input.ativa, reloginHoras: input.reloginHoras, actor: input.actor });
      return { ativa: saved.elegibilidadeAtiva ?? false, reloginHoras: saved.reloginHoras ?? null };
    },
  };
}

export type ElegibilidadeService = ReturnType<typeof createElegibilidadeService>;

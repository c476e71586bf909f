import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../../platform/http/params.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import { reloginLimits, type ElegibilidadeService } from './elegibilidade.service.ts';

export const elegibilidadeBody = z.object({
  ativa: z.boolean(),
  reloginHoras: z
    .number()
    .int('Use um número inteiro de horas.')
    .min(reloginLimits.minHoras, `O intervalo mínimo do relogin é ${reloginLimits.minHoras} hora.`)
    .max(reloginLimits.maxHoras, `O intervalo máximo do relogin é ${reloginLimits.maxHoras} horas (30 dias).`)
    .nullable(),
  chaveUnicaTeste: z.string().trim().max(200, 'A chave única deve ter no máximo 200 caracteres.').optional().describe('Obrigatória ao ativar: a verificação ao vivo chama a elegibilidade com ela'),
});

export const elegibilidadeSchema = z.object({ ativa: z.boolean(), reloginHoras: z.number().int().nullable() });

/** Painel: Integração → Elegibilidade (Ativo, relogin). */
export function elegibilidadeRoutes(deps: { elegibilidade: ElegibilidadeService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.put(
      '/painel/api/clientes/:clienteId/instancias/:instancia/integracao/elegibilidade',
      {
        schema: {
          tags: ['Painel — integração'],
          summary: 'Ativa ou desativa a elegibilidade (ativar exige passar na verificação ao vivo) e define o intervalo do relogin',
          params: instanciaParams,
          body: elegibilidadeBody,
          response: { 200: elegibilidadeSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, instancia } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        return deps.elegibilidade.save({ ...request.body, clienteId, instancia, actor: auditActorOf(request), correlationId: request.id });
      },
    );
  };
}

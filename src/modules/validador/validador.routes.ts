import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../clientes/instancia.schemas.ts';
import { operatorMethods } from '../contracts/contract-spec.ts';
import { actorOf } from '../painel-users/painel-guard.ts';
import { assertClienteRole } from '../painel-users/painel-users.service.ts';
import type { ValidadorService } from './validador.service.ts';

const violationSchema = z.object({
  caminho: z.string(),
  tipo: z.string(),
  criterio: z.enum(['M', 'C', 'OP']),
  esperado: z.string(),
  recebido: z.string(),
  mensagem: z.string(),
});

export const validationReportSchema = z.object({
  metodo: z.enum(operatorMethods),
  aprovado: z.boolean(),
  resultado: z.enum(['sucesso', 'violacao_contrato', 'recusado_pela_operadora', 'falha_comunicacao', 'bloqueado', 'nao_configurado']),
  mensagem: z.string().nullable(),
  mascarado: z.boolean().describe('true: resposta mascarada como na central de logs (só administradores do cliente a veem completa)'),
  requisicao: z.object({ url: z.string().nullable(), headers: z.array(z.string()).describe('Nomes dos headers enviados (valores nunca exibidos)'), corpo: z.unknown() }),
  resposta: z.object({ status: z.number().int(), statusText: z.string(), corpo: z.string() }).nullable(),
  latenciaMs: z.number().nullable(),
  violacoes: z.array(violationSchema),
});

export function validadorRoutes(deps: { validador: ValidadorService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/painel/api/clientes/:clienteId/instancias/:instancia/validador',
      {
        schema: {
          tags: ['Painel — validador de integração'],
          summary: 'Executa um método contra o endpoint configurado, com entrada de teste, e lista cada violação do contrato',
          description: 'A resposta da operadora aparece completa para administradores do cliente; para editores, mascarada como na central de logs (dados pessoais e tokens).',
          params: instanciaParams,
          body: z.object({
            metodo: z.enum(operatorMethods, { error: `O método deve ser um de: ${operatorMethods.join(', ')}.` }),
            entrada: z.record(z.string().max(100), z.unknown()).default({}).refine((v) => JSON.stringify(v).length <= 64 * 1024, 'A entrada deve ter no máximo 64 KiB.'),
            grupoId: z.string().trim().max(64).optional().describe('Obrigatório para o método autorizacao'),
          }),
          response: { 200: validationReportSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, instancia } = request.params;
        const role = assertClienteRole(actorOf(request), clienteId, 'editor');
        const { metodo, entrada, grupoId } = request.body;
        // Admins configure the operator and see its answers whole; editors see what the central de logs keeps.
        const view = role === 'admin' ? 'completo' : 'mascarado';
        return deps.validador.run({ clienteId, instancia, method: metodo, body: entrada, grupoId, correlationId: request.id, view });
      },
    );
  };
}

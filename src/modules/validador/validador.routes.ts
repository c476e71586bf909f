import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../../platform/http/params.ts';
import { actorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import type { ValidadorService } from './validador.service.ts';
import { validadorRunBodySchema, validationReportSchema } from './validador.schemas.ts';

export function validadorRoutes(deps: { validador: ValidadorService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/painel/api/clientes/:clienteId/instancias/:instancia/validador',
      {
        schema: {
          tags: ['Painel — validador de integração'],
          summary: 'Executa um método contra o endpoint configurado, com entrada de teste, e lista cada violação do contrato',
          description:
            'A resposta da operadora aparece completa para administradores do cliente; para editores, mascarada como na central de logs (dados pessoais e tokens). Nova senha e trocar senha podem encadear uma identificação ou um login de teste (`loginDeTeste`), cujos headers de seguranca, chaveUnica e integracao são reaproveitados.',
          params: instanciaParams,
          body: validadorRunBodySchema,
          response: { 200: validationReportSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, instancia } = request.params;
        const role = assertClienteRole(actorOf(request), clienteId, 'editor');
        const { metodo, entrada, grupoId, expectativa, loginDeTeste, headersExtras } = request.body;
        // Admins configure the operator and see its answers whole; editors see what the central de logs keeps.
        const view = role === 'admin' ? 'completo' : 'mascarado';
        return deps.validador.run({ clienteId, instancia, method: metodo, body: entrada, grupoId, correlationId: request.id, view, expectativa, loginDeTeste, headersExtras });
      },
    );
  };
}

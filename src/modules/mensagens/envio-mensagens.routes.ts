import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../../platform/http/params.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import { envioMensagensBody, envioMensagensSchema, testeBody, testeSchema, toEnvioMensagensDto } from './envio-mensagens.schemas.ts';
import type { EnvioMensagensService } from './envio-mensagens.service.ts';

const tags = ['Painel — envio de mensagens'];

/** `/painel/api/clientes/:clienteId/instancias/:instancia/envio-mensagens`: how recovery codes reach people (SMS provider, e-mail sender, templates). */
export function envioMensagensRoutes(deps: { envioMensagens: EnvioMensagensService }): FastifyPluginAsyncZod {
  return async (app) => {
    const path = '/painel/api/clientes/:clienteId/instancias/:instancia/envio-mensagens';

    app.get(path, { schema: { tags, summary: 'Configuração de envio de mensagens da instância (segredos nunca devolvidos)', params: instanciaParams, response: { 200: envioMensagensSchema, 404: apiErrorSchema } } }, async (request) => {
      assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
      return toEnvioMensagensDto(await deps.envioMensagens.get(request.params.clienteId, request.params.instancia));
    });

    app.put(
      path,
      {
        schema: {
          tags,
          summary: 'Salva provedor de SMS, remetente de e-mail e modelos: URLs conferidas, segredos cifrados e só de escrita',
          params: instanciaParams,
          body: envioMensagensBody,
          response: { 200: envioMensagensSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, instancia } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        return toEnvioMensagensDto(await deps.envioMensagens.save({ ...request.body, clienteId, instancia, actor: auditActorOf(request) }));
      },
    );

    app.post(
      `${path}/teste`,
      {
        schema: {
          tags,
          summary: 'Envia uma mensagem de teste com a configuração salva (limitado por tempo, registrado na auditoria)',
          params: instanciaParams,
          body: testeBody,
          response: { 200: testeSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 429: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, instancia } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        return deps.envioMensagens.testar({ clienteId, instancia, ...request.body, actor: auditActorOf(request), correlationId: request.id });
      },
    );
  };
}

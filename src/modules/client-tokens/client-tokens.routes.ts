import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../../platform/http/params.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import { createdTokenSchema, createTokenBodySchema, toTokenDto, tokenSchema } from './client-tokens.schemas.ts';
import type { ClientTokensService } from './client-tokens.service.ts';

const tags = ['Painel — APIs (tokens do cliente)'];

export function clientTokensRoutes(deps: { tokens: ClientTokensService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/painel/api/clientes/:clienteId/tokens',
      { schema: { tags, summary: 'Tokens do cliente (sem o segredo)', params: clienteIdParams, response: { 200: z.object({ tokens: z.array(tokenSchema) }), 404: apiErrorSchema } } },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
        return { tokens: (await deps.tokens.list(request.params.clienteId)).map(toTokenDto) };
      },
    );

    app.post(
      '/painel/api/clientes/:clienteId/tokens',
      {
        schema: {
          tags,
          summary: 'Cria um token do cliente para as APIs escolhidas — o token é exibido uma única vez',
          params: clienteIdParams,
          body: createTokenBodySchema,
          response: { 201: createdTokenSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request, reply) => {
        const { clienteId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'admin');
        const { token, plaintext } = await deps.tokens.create({ clienteId, ...request.body, actor: auditActorOf(request), requestId: request.id });
        return reply.code(201).send({ ...toTokenDto(token), token: plaintext });
      },
    );

    app.delete(
      '/painel/api/clientes/:clienteId/tokens/:tokenId',
      {
        schema: {
          tags,
          summary: 'Revoga um token do cliente (e os tokens temporários gerados com ele)',
          params: clienteIdParams.extend({ tokenId: z.string().trim().min(1).max(64) }),
          response: { 200: tokenSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, tokenId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'admin');
        return toTokenDto(await deps.tokens.revoke({ clienteId, tokenId, actor: auditActorOf(request), requestId: request.id }));
      },
    );
  };
}

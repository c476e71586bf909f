import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { actorOf } from '../../platform/http/painel-guard.ts';
import { operatorMethods,  } from './contract-spec.ts';
import { contracts } from './contracts.ts';
import { contratosSchema, toContratoDto } from './contracts.schemas.ts';

/** One declared field, as the painel's contract table reads it. */
export function contractsRoutes(): FastifyPluginAsyncZod {
  return async (app) => {
    const body = { contratos: operatorMethods.map((method) => toContratoDto(contracts[method])) };
    app.get(
      '/painel/api/contratos',
      {
        schema: {
          tags: ['Painel — contratos'],
          summary: 'Contratos dos métodos da operadora: campos, critérios (M/C/OP), tipos, regras e condições',
          response: { 200: contratosSchema, 401: apiErrorSchema },
        },
      },
      async (request) => {
        actorOf(request);
        return body;
      },
    );
  };
}

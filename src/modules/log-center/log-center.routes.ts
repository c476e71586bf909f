import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../clientes/clientes.routes.ts';
import { actorOf } from '../painel-users/painel-guard.ts';
import { assertClienteRole } from '../painel-users/painel-users.service.ts';
import { logEntrySchema, logIdParams, logPageSchema, logSearchQuerySchema, toLogEntryDto, toLogSummaryDto } from './log-center.schemas.ts';
import type { LogCenterService } from './log-center.service.ts';

const tags = ['Painel — central de logs'];

export function logCenterRoutes(deps: { logCenter: LogCenterService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/painel/api/clientes/:clienteId/logs',
      {
        schema: {
          tags,
          summary: 'Chamadas feitas às APIs da operadora, da mais recente à mais antiga, com filtros e paginação',
          params: clienteIdParams,
          querystring: logSearchQuerySchema,
          response: { 200: logPageSchema, 400: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'leitor');
        const { instancia, ...filters } = request.query;
        const page = await deps.logCenter.search({ clienteId, instancia: instancia as 1 | 2, ...filters });
        return { itens: page.items.map(toLogSummaryDto), pagina: page.pagina, porPagina: page.porPagina, total: page.total };
      },
    );

    app.get(
      '/painel/api/clientes/:clienteId/logs/:logId',
      {
        schema: {
          tags,
          summary: 'Uma chamada completa: headers (valores mascarados), corpos mascarados, status, latência, violações e correlation id',
          params: logIdParams,
          response: { 200: logEntrySchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, logId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'leitor');
        return toLogEntryDto(await deps.logCenter.get(clienteId, logId));
      },
    );
  };
}

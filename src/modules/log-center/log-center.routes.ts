import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../../platform/http/params.ts';
import { actorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import { csvFileName } from '../../platform/csv.ts';
import { logEntrySchema, logExportQuerySchema, logIdParams, logPageSchema, logSearchQuerySchema, toLogEntryDto, toLogSummaryDto } from './log-center.schemas.ts';
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
      '/painel/api/clientes/:clienteId/logs/exportar',
      {
        schema: {
          tags,
          summary: 'As chamadas filtradas em CSV (até 10 000, da mais recente à mais antiga; sem corpos)',
          description: 'Os mesmos filtros da busca (sem paginação). O header `X-Total` traz quantas chamadas o filtro encontrou; `X-Truncado: 1` quando o arquivo não traz todas.',
          params: clienteIdParams,
          querystring: logExportQuerySchema,
          produces: ['text/csv'],
          response: { 200: z.string().describe('CSV (UTF-8 com BOM)'), 400: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request, reply) => {
        const { clienteId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'leitor');
        const { instancia, ...filters } = request.query;
        const exported = await deps.logCenter.exportCsv({ clienteId, instancia: instancia as 1 | 2, ...filters });
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${csvFileName(`central-de-logs-${instancia === 2 ? 'producao' : 'sandbox'}`, Date.now())}"`)
          .header('x-total', String(exported.total))
          .header('x-truncado', exported.truncated ? '1' : '0')
          .send(exported.csv);
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

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { csvFileName } from '../../platform/csv.ts';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../../platform/http/params.ts';
import { actorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import type { AuditService } from './audit.service.ts';
import { auditEventSchema, auditFilterQuerySchema } from './audit.schemas.ts';

const tags = ['Painel — auditoria'];

export function auditRoutes(deps: { audit: AuditService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/painel/api/clientes/:clienteId/auditoria',
      {
        schema: {
          tags,
          summary: 'Quem alterou o quê, em qual instância, com antes e depois (segredos mascarados), do mais recente ao mais antigo',
          description: 'Filtros: ação (exata ou família), quem, período e instância. Ids de grupos, funcionalidades, formulários, tokens e pessoas vêm com o nome.',
          params: clienteIdParams,
          querystring: auditFilterQuerySchema.and(
            z.object({
              limite: z.coerce.number().int().min(1).max(200).default(50),
              antesDe: z.coerce.number().int().min(0).optional().describe('Epoch ms: eventos anteriores a este instante (paginação)'),
            }),
          ),
          response: { 200: z.object({ eventos: z.array(auditEventSchema) }), 400: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
        const { limite, antesDe, instancia, ...filters } = request.query;
        return {
          eventos: await deps.audit.listForCliente(request.params.clienteId, { limit: limite, antesDe, instancia: instancia as 0 | 1 | 2 | undefined, ...filters }),
        };
      },
    );

    app.get(
      '/painel/api/clientes/:clienteId/auditoria/atores',
      {
        schema: {
          tags,
          summary: 'Quem já alterou algo neste cliente (para o filtro "quem")',
          params: clienteIdParams,
          response: { 200: z.object({ atores: z.array(z.object({ atorId: z.string().nullable(), ator: z.string() })) }), 404: apiErrorSchema },
        },
      },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
        return { atores: await deps.audit.actors(request.params.clienteId) };
      },
    );

    app.get(
      '/painel/api/clientes/:clienteId/auditoria/exportar',
      {
        schema: {
          tags,
          summary: 'Os eventos filtrados em CSV (até 10 000, do mais recente ao mais antigo)',
          description: 'Os mesmos filtros da lista. `X-Total` traz quantos eventos o filtro encontrou; `X-Truncado: 1` quando o arquivo não traz todos.',
          params: clienteIdParams,
          querystring: auditFilterQuerySchema,
          produces: ['text/csv'],
          response: { 200: z.string().describe('CSV (UTF-8 com BOM)'), 400: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request, reply) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
        const { instancia, ...filters } = request.query;
        const exported = await deps.audit.exportCsv(request.params.clienteId, { instancia: instancia as 0 | 1 | 2 | undefined, ...filters });
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${csvFileName('auditoria', Date.now())}"`)
          .header('x-total', String(exported.total))
          .header('x-truncado', exported.truncated ? '1' : '0')
          .send(exported.csv);
      },
    );
  };
}

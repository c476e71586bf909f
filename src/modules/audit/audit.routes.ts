import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../clientes/clientes.routes.ts';
import { actorOf } from '../painel-users/painel-guard.ts';
import { assertClienteRole } from '../painel-users/painel-users.service.ts';
import type { AuditService } from './audit.service.ts';

const auditEventSchema = z.object({
  id: z.string(),
  ator: z.string(),
  acao: z.string(),
  alvo: z.object({ tipo: z.string(), id: z.string() }),
  antes: z.unknown().nullable(),
  depois: z.unknown().nullable(),
  requestId: z.string().nullable(),
  criadoEm: z.number().int(),
});

export function auditRoutes(deps: { audit: AuditService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/painel/api/clientes/:clienteId/auditoria',
      {
        schema: {
          tags: ['Painel — auditoria'],
          summary: 'Quem alterou o quê, com antes e depois (segredos mascarados), do mais recente ao mais antigo',
          params: clienteIdParams,
          querystring: z.object({
            limite: z.coerce.number().int().min(1).max(200).default(50),
            antesDe: z.coerce.number().int().min(0).optional().describe('Epoch ms: eventos anteriores a este instante (paginação)'),
          }),
          response: { 200: z.object({ eventos: z.array(auditEventSchema) }), 404: apiErrorSchema },
        },
      },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'leitor');
        const { limite, antesDe } = request.query;
        return { eventos: await deps.audit.listForCliente(request.params.clienteId, { limit: limite, ...(antesDe !== undefined ? { before: antesDe } : {}) }) };
      },
    );
  };
}

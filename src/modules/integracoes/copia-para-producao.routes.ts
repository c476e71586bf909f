import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { clienteIdParams } from '../clientes/clientes.routes.ts';
import { actorOf, auditActorOf } from '../painel-users/painel-guard.ts';
import { assertClienteRole } from '../painel-users/painel-users.service.ts';
import type { CopiaParaProducaoService } from './copia-para-producao.ts';

const tags = ['Painel — integração'];

const problemaSchema = z.object({ campo: z.string(), mensagem: z.string() });

export const comparacaoSchema = z.object({
  sandboxConfigurada: z.boolean(),
  producaoConfigurada: z.boolean(),
  versaoProducao: z.number().int().nullable().describe('atualizadoEm da integração de Produção ao comparar; envie no POST para copiar só se Produção não mudou'),
  itens: z.array(
    z.object({
      campo: z.string().describe('baseUrl, timeoutMs, metodos.<metodo>.url, metodos.<metodo>.formularioId, grupoId, headers.<nome>'),
      rotulo: z.string(),
      sandbox: z.string().nullable().describe('Valor na Sandbox; um header secreto aparece só como "segredo definido" ou "não definido"'),
      producao: z.string().nullable().describe('Valor atual em Produção; um header secreto aparece só como "segredo definido" ou "não definido" — segredos nunca são comparados'),
      muda: z.boolean(),
      observacao: z.string().nullable(),
    }),
  ),
  problemas: z.array(problemaSchema).describe('Impedem a cópia'),
  avisos: z.array(problemaSchema).describe('Não impedem a cópia: o que ela deixa como está, e por quê'),
  mudancas: z.number().int(),
  podeAplicar: z.boolean(),
});

export const copiaBodySchema = z.object({
  confirmar: z.literal(true, { error: 'Confirme a cópia enviando "confirmar": true.' }),
  versaoProducao: z.number().int().nullable().optional().describe('O versaoProducao da comparação que você revisou'),
});

export function copiaParaProducaoRoutes(deps: { copia: CopiaParaProducaoService }): FastifyPluginAsyncZod {
  return async (app) => {
    const path = '/painel/api/clientes/:clienteId/integracao/copia-para-producao';

    app.get(
      path,
      {
        schema: {
          tags,
          summary: 'Compara a integração da Sandbox com a de Produção, item a item, antes de copiar (valores secretos nunca aparecem nem são comparados) — editores e admins',
          params: clienteIdParams,
          response: { 200: comparacaoSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        assertClienteRole(actorOf(request), request.params.clienteId, 'editor');
        return deps.copia.compare(request.params.clienteId);
      },
    );

    app.post(
      path,
      {
        schema: {
          tags,
          summary:
            'Copia a integração da Sandbox para Produção, conferida com as regras de Produção (https, endereços públicos); headers secretos são recifrados no servidor; grupo e formulários de Produção são vinculados pelo nome — editores e admins',
          params: clienteIdParams,
          body: copiaBodySchema,
          response: { 200: comparacaoSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        return deps.copia.apply({ clienteId, versaoProducao: request.body.versaoProducao, actor: auditActorOf(request) });
      },
    );
  };
}

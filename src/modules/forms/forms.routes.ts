import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../../platform/http/params.ts';
import { contracts } from '../contracts/contracts.ts';
import { actorOf, auditActorOf } from '../../platform/http/painel-guard.ts';
import { assertClienteRole } from '../../platform/http/painel-authz.ts';
import { defaultForms } from './forms.defaults.ts';
import { emUsoBody, formFinalidades, formularioDtoSchema, formularioSchema, listaSchema, testeBody, testeDefinicaoBody, testeSchema, type FormularioDefinicao } from './forms.schemas.ts';
import type { FormsService, FormularioView } from './forms.service.ts';

const tags = ['Painel — formulários'];

const toDefinicaoDto = (f: FormularioDefinicao) => ({ nome: f.nome, finalidade: f.finalidade, campos: f.campos });

function toFormularioDto({ formulario, emUso }: FormularioView) {
  return {
    id: formulario.id,
    instancia: formulario.instancia,
    ...toDefinicaoDto(formulario),
    emUso,
    criadoEm: formulario.createdAt,
    atualizadoEm: formulario.updatedAt,
  };
}

const formularioParams = instanciaParams.extend({ formularioId: z.string().trim().min(1).max(64) });
const errors = { 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema };

export function formsRoutes(deps: { forms: FormsService }): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/painel/api/clientes/:clienteId/instancias/:instancia/formularios';

    async function lista(clienteId: string, instancia: 1 | 2) {
      const { formularios, emUso } = await deps.forms.list(clienteId, instancia);
      return {
        formularios: formularios.map(toFormularioDto),
        finalidades: formFinalidades.map((finalidade) => ({
          finalidade,
          metodo: contracts[finalidade].label,
          formularioId: emUso[finalidade],
          usaPadrao: emUso[finalidade] === null,
          padrao: toDefinicaoDto(defaultForms[finalidade]),
        })),
      };
    }

    app.get(
      base,
      { schema: { tags, summary: 'Formulários da instância e, por método, qual formulário o app usa', params: instanciaParams, response: { 200: listaSchema, 404: apiErrorSchema } } },
      async (request) => {
        const { clienteId, instancia } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'leitor');
        return lista(clienteId, instancia);
      },
    );

    app.put(
      `${base}/em-uso/:finalidade`,
      {
        schema: {
          tags,
          summary: 'Escolhe o formulário que o app usa para um método (null: o padrão); grava na integração da instância',
          params: instanciaParams.extend({ finalidade: z.enum(formFinalidades, { error: `Finalidade inválida: use ${formFinalidades.join(', ')}.` }) }),
          body: emUsoBody,
          response: { 200: listaSchema, 400: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, instancia, finalidade } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        await deps.forms.choose({ clienteId, instancia, finalidade, formularioId: request.body.formularioId, actor: auditActorOf(request) });
        return lista(clienteId, instancia);
      },
    );

    app.post(
      base,
      {
        schema: {
          tags,
          summary: 'Cria um formulário; para o app usá-lo, escolha-o no método correspondente da integração',
          params: instanciaParams,
          body: formularioSchema,
          response: { 201: formularioDtoSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { clienteId, instancia } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        const created = await deps.forms.create({ clienteId, instancia, definicao: request.body, actor: auditActorOf(request) });
        return reply.code(201).send(toFormularioDto(created));
      },
    );

    app.get(
      `${base}/:formularioId`,
      { schema: { tags, summary: 'Um formulário', params: formularioParams, response: { 200: formularioDtoSchema, 404: apiErrorSchema } } },
      async (request) => {
        const { clienteId, instancia, formularioId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'leitor');
        return toFormularioDto(await deps.forms.get(clienteId, instancia, formularioId));
      },
    );

    app.put(
      `${base}/:formularioId`,
      {
        schema: {
          tags,
          summary: 'Substitui a definição do formulário (um formulário em uso não muda de finalidade)',
          params: formularioParams,
          body: formularioSchema,
          response: { 200: formularioDtoSchema, ...errors },
        },
      },
      async (request) => {
        const { clienteId, instancia, formularioId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        return toFormularioDto(await deps.forms.update({ clienteId, instancia, formularioId, definicao: request.body, actor: auditActorOf(request) }));
      },
    );

    app.delete(
      `${base}/:formularioId`,
      {
        schema: {
          tags,
          summary: 'Remove um formulário que a integração não usa',
          params: formularioParams,
          response: { 204: z.null(), 403: apiErrorSchema, 404: apiErrorSchema, 409: apiErrorSchema },
        },
      },
      async (request, reply) => {
        const { clienteId, instancia, formularioId } = request.params;
        assertClienteRole(actorOf(request), clienteId, 'editor');
        await deps.forms.remove({ clienteId, instancia, formularioId, actor: auditActorOf(request) });
        return reply.code(204).send(null);
      },
    );

    app.post(
      `${base}/testar`,
      {
        // A dry run: it changes nothing, so a leitor may call it (see painel-guard.ts).
        config: { leitorPode: true },
        schema: {
          tags,
          summary: 'Valida um envio de exemplo contra uma definição ainda não salva (a prévia do editor), como o servidor validaria o do app',
          params: instanciaParams,
          body: testeDefinicaoBody,
          response: { 200: testeSchema, 400: apiErrorSchema, 404: apiErrorSchema, 429: apiErrorSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        assertClienteRole(actor, request.params.clienteId, 'leitor');
        // The body was parsed with formularioSchema already; the service parses again (it may be called without HTTP).
        return deps.forms.testDefinition(request.body.definicao, request.body.valores, { userId: actor.user.id });
      },
    );

    app.post(
      `${base}/:formularioId/testar`,
      {
        // A dry run: it changes nothing, so a leitor may call it (see painel-guard.ts).
        config: { leitorPode: true },
        schema: {
          tags,
          summary: 'Valida um envio de exemplo como o servidor validaria o do app: devolve os erros por campo, ou o corpo que seria enviado (senhas mascaradas)',
          params: formularioParams,
          body: testeBody,
          response: { 200: testeSchema, 400: apiErrorSchema, 404: apiErrorSchema, 429: apiErrorSchema },
        },
      },
      async (request) => {
        const { clienteId, instancia, formularioId } = request.params;
        const actor = actorOf(request);
        assertClienteRole(actor, clienteId, 'leitor');
        return deps.forms.test(clienteId, instancia, formularioId, request.body.valores, { userId: actor.user.id });
      },
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { instanciaParams } from '../clientes/instancia.schemas.ts';
import { contracts } from '../contracts/contracts.ts';
import { actorOf, auditActorOf } from '../painel-users/painel-guard.ts';
import { assertClienteRole } from '../painel-users/painel-users.service.ts';
import { defaultForms } from './forms.defaults.ts';
import { fieldTypes, formFinalidades, formularioSchema, type FormularioDefinicao } from './forms.schemas.ts';
import type { FormsService, FormularioView } from './forms.service.ts';

const tags = ['Painel — formulários'];

// Responses describe what was stored, without re-running the input rules on it.
const campoDtoSchema = z.object({
  nome: z.string(),
  rotulo: z.string(),
  tipo: z.enum(fieldTypes),
  obrigatorio: z.boolean(),
  min: z.number().optional(),
  max: z.number().optional(),
  padrao: z.string().optional(),
  mascara: z.string().optional(),
  opcoes: z.array(z.object({ valor: z.string(), rotulo: z.string() })).optional(),
  ajuda: z.string().optional(),
  identificador: z.boolean().optional(),
});

const definicaoDtoSchema = z.object({ nome: z.string(), finalidade: z.enum(formFinalidades), campos: z.array(campoDtoSchema) });

const formularioDtoSchema = definicaoDtoSchema.extend({
  id: z.string(),
  instancia: z.union([z.literal(1), z.literal(2)]),
  emUso: z.boolean().describe('Se a integração desta instância usa este formulário para a sua finalidade'),
  criadoEm: z.number().int(),
  atualizadoEm: z.number().int(),
});

const listaSchema = z.object({
  formularios: z.array(formularioDtoSchema),
  finalidades: z
    .array(
      z.object({
        finalidade: z.enum(formFinalidades),
        metodo: z.string().describe('Nome do método da operadora'),
        formularioId: z.string().nullable().describe('O formulário em uso; null quando o app usa o padrão'),
        usaPadrao: z.boolean(),
        padrao: definicaoDtoSchema.describe('O formulário padrão, derivado do contrato do método'),
      }),
    )
    .describe('Para cada método, qual formulário o app usa'),
});

const testeBody = z.object({
  valores: z.record(z.string(), z.unknown(), { error: 'Envie "valores" como um objeto com os campos do formulário.' }).describe('O que o app enviaria'),
});

const testeDefinicaoBody = testeBody.extend({ definicao: formularioSchema.describe('A definição como está no editor') });

const testeSchema = z.object({
  valido: z.boolean(),
  corpo: z.record(z.string(), z.union([z.string(), z.number()])).nullable().describe('O corpo que seria enviado à operadora (senhas mascaradas); null se houver erros'),
  erros: z.array(z.object({ field: z.string().optional(), message: z.string() })),
  ignorados: z.array(z.string()).describe('Campos enviados que o formulário não tem: não seriam repassados'),
});

const emUsoBody = z.object({
  formularioId: z
    .string({ error: 'Informe o formulário (ou null para usar o padrão).' })
    .trim()
    .min(1, 'Informe o formulário (ou null para usar o padrão).')
    .max(64)
    .nullable()
    .describe('O formulário que o app passa a usar; null volta ao formulário padrão'),
});

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

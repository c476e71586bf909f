import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type ErrorDetail } from '../../platform/errors.ts';
import { compiledResponse } from '../../platform/http/compiled-serializer.ts';
import { clientesEnvelopeSchema, clientesFailureSchema, clientesSuccess } from '../../platform/http/envelope.ts';
import type { ClientAuthenticator } from '../client-auth/client-auth.service.ts';
import { noteCaller, noteInstancia, noteParametros, noteRefusal } from '../log-center/log-center.inbound.ts';
import type { MotivoRecusa } from '../log-center/log-center.types.ts';
import type { ChavePasseService, ResolvedChavePasse } from './chave-passe.service.ts';

export const DATA_LOADED_MESSAGE = 'Dados carregados com sucesso.';

const query = z.object({
  instanciaApp: z.string().max(10).optional().describe('1 = Sandbox, 2 = Produção'),
  chavePasse: z.string().max(200).optional().describe('Recebida na query string ao abrir a funcionalidade'),
  chaveFuncionalidade: z.string().max(100).optional().describe('Gerada no cadastro da funcionalidade customizada'),
});

const requiredParams = ['instanciaApp', 'chavePasse', 'chaveFuncionalidade'] as const;

/** The answers of the four endpoints, from one resolved key. */
export const chavePasseViews = {
  usuario: {
    summary: 'Dados do usuário logado que abriu a funcionalidade',
    data: z.object({ chaveUnica: z.string(), integracao: z.unknown() }),
    build(key: ResolvedChavePasse) {
      const { chaveUnica, integracao } = key.login.usuarioLogado;
      const own = key.login.beneficiarios?.find((b) => b.chaveUnica === chaveUnica);
      return { chaveUnica, integracao: integracao ?? own?.integracao ?? {} };
    },
  },
  grupoFamiliar: {
    summary: 'Beneficiários do login (grupo familiar visível ao usuário)',
    data: z.array(z.object({ chaveUnica: z.string(), nome: z.string(), dataNascimento: z.string(), integracao: z.unknown(), usuarioLogado: z.boolean() })),
    build(key: ResolvedChavePasse) {
      const logged = key.login.usuarioLogado.chaveUnica;
      return (key.login.beneficiarios ?? []).map((b) => ({
        chaveUnica: b.chaveUnica,
        nome: b.dadosPessoais.nome,
        dataNascimento: b.dadosPessoais.dataNascimento,
        integracao: b.integracao,
        usuarioLogado: b.chaveUnica === logged,
      }));
    },
  },
  sistema: {
    summary: 'O que o app informou ao abrir a funcionalidade (plataforma, versão, dispositivo, idioma, geolocalização se permitida)',
    data: z.object({
      plataforma: z.string(),
      versaoApp: z.string(),
      dispositivo: z.string().nullable(),
      idioma: z.string().nullable(),
      geolocalizacao: z.object({ latitude: z.number(), longitude: z.number(), precisaoMetros: z.number().nullable() }).nullable(),
      abertoEm: z.number().int(),
      instanciaApp: z.string(),
    }),
    build(key: ResolvedChavePasse) {
      return { ...key.sistema, abertoEm: key.createdAt, instanciaApp: String(key.instancia) };
    },
  },
  chavePasse: {
    summary: 'Metadados da própria chave passe',
    data: z.object({
      funcionalidade: z.object({ nome: z.string(), chaveFuncionalidade: z.string() }),
      criadaEm: z.number().int(),
      expiraEm: z.number().int(),
      instanciaApp: z.string(),
    }),
    build(key: ResolvedChavePasse) {
      return {
        funcionalidade: { nome: key.funcionalidade.nome, chaveFuncionalidade: key.funcionalidade.chave },
        criadaEm: key.createdAt,
        expiraEm: key.expiresAt,
        instanciaApp: String(key.instancia),
      };
    },
  },
} as const;

/**
 * The chave passe data API (`GET /clientes/chavePasse/*`), exactly as the seed: a token do cliente
 * with API chavePasse (or its temp token); 400 naming missing parameters; one 403 for every
 * mismatch, with no hint of which part was wrong. Limits (client-auth.service.ts): 429 with
 * `Retry-After` for invalid tokens from an IP past its failure limit and past a token's requests
 * per minute.
 */
export function chavePasseDataRoutes(deps: { authenticator: ClientAuthenticator; chavesPasse: ChavePasseService }): FastifyPluginAsyncZod {
  return async (app) => {
    async function resolveFor(request: FastifyRequest & { query: z.infer<typeof query> }): Promise<ResolvedChavePasse> {
      const instanciaApp = request.query.instanciaApp?.trim();
      // What the central de logs keeps of the call: never the chave passe nor the chaveFuncionalidade.
      noteParametros(request, { instanciaApp: instanciaApp ?? null });
      if (instanciaApp === '1' || instanciaApp === '2') noteInstancia(request, Number(instanciaApp) as 1 | 2);
      // 401 for a bad token (429 once its IP is past the failure limit), 429 past the token's requests per minute.
      const { clienteId } = await deps.authenticator.authenticate(request.headers.authorization, {
        api: 'chavePasse',
        allowTemp: true,
        ip: request.ip,
        countRequest: true,
        onPrincipal: (caller) => noteCaller(request, caller),
      });
      const missing: ErrorDetail[] = requiredParams
        .filter((name) => !request.query[name]?.trim())
        .map((name) => ({ field: name, message: `O parâmetro ${name} é obrigatório.` }));
      if (missing.length > 0) throw new AppError('MISSING_PARAMETERS', `Parâmetros obrigatórios ausentes: ${missing.map((m) => m.field).join(', ')}.`, { details: missing });
      const inspected = await deps.chavesPasse.inspect(request.query.chavePasse!.trim());
      // Every mismatch is the same 403 for the caller (no hint which part was wrong); the painel gets the reason.
      const refuse = (motivo: MotivoRecusa): never => {
        noteRefusal(request, motivo);
        throw new AppError('CHAVE_PASSE_RECUSADA');
      };
      if (!inspected.ok) return refuse(inspected.motivo);
      const key = inspected.key;
      if (key.clienteId !== clienteId) return refuse('cliente_diferente');
      if (String(key.instancia) !== instanciaApp) return refuse('instancia_diferente');
      if (key.funcionalidade.chave !== request.query.chaveFuncionalidade!.trim()) return refuse('funcionalidade_diferente');
      if (!key.funcionalidade.ativa) return refuse('funcionalidade_inativa');
      return key;
    }

    for (const [name, view] of Object.entries(chavePasseViews)) {
      app.get(
        `/clientes/chavePasse/${name}`,
        {
          schema: {
            tags: ['API do cliente — chave passe'],
            summary: view.summary,
            description: 'Header `Authorization`: token do cliente com a API chavePasse (cru ou `Bearer`), ou um token temporário gerado com ele.',
            querystring: query,
            response: { 200: compiledResponse(clientesEnvelopeSchema(view.data)), 400: clientesFailureSchema, 401: clientesFailureSchema, 403: clientesFailureSchema, 429: clientesFailureSchema },
          },
        },
        async (request) => clientesSuccess(view.build(await resolveFor(request)), DATA_LOADED_MESSAGE),
      );
    }
  };
}

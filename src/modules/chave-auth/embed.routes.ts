import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiErrorSchema } from '../../platform/http/envelope.ts';
import { EMBED_JS, FRAME_JS, framePage } from './embed-assets.ts';
import type { EmbedService } from './embed.service.ts';

const tags = ['SDK — funcionalidades embutidas'];
const instanciaApp = z.enum(['1', '2'], { error: 'instanciaApp deve ser 1 (Sandbox) ou 2 (Produção).' }).describe('1 = Sandbox, 2 = Produção');
const consulta = z.object({ chaveFuncionalidade: z.string().trim().min(1).max(100), instanciaApp });
const instanciaOf = (value: '1' | '2') => (value === '1' ? 1 : 2) as 1 | 2;

/** Scripts change only with a new version path; a day of caching keeps fixes reaching pages soon. */
const SCRIPT_CACHE = 'public, max-age=3600';

const frameCsp = (origens: string[]) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${origens.length > 0 ? origens.join(' ') : "'none'"}`,
  ].join('; ');

/**
 * `/sdk/v1/*`: the embed script, the frame page (framed only by the cliente's registered origins)
 * and the two calls the browser side makes. See embed.service.ts and embed-assets.ts.
 */
export function embedRoutes(deps: { embed: EmbedService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/sdk/v1/embed.js', { schema: { tags, summary: 'O script: ponte.embed({ elemento, chaveFuncionalidade, instanciaApp, token })' } }, async (_request, reply) =>
      reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', SCRIPT_CACHE).header('access-control-allow-origin', '*').send(EMBED_JS),
    );
    app.get('/sdk/v1/frame.js', { schema: { hide: true } }, async (_request, reply) =>
      reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', SCRIPT_CACHE).send(FRAME_JS),
    );

    app.get(
      '/sdk/v1/permissao',
      {
        schema: {
          tags,
          summary: 'Se a página que chama (header Origin) pode embutir a funcionalidade',
          querystring: consulta,
          response: { 200: z.object({ permitida: z.boolean(), mensagem: z.string().nullable() }), 400: apiErrorSchema },
        },
      },
      async (request, reply) => {
        // Readable by any page: it only says whether that page's own origin is registered.
        reply.header('access-control-allow-origin', '*');
        return deps.embed.permitida(request.query.chaveFuncionalidade, instanciaOf(request.query.instanciaApp), request.headers.origin);
      },
    );

    // A page, not API (like the painel's): out of the OpenAPI document.
    app.get('/sdk/v1/frame', { schema: { hide: true, tags, summary: 'A página intermediária carregada no iframe', querystring: consulta } }, async (request, reply) => {
      const chave = request.query.chaveFuncionalidade;
      const instancia = instanciaOf(request.query.instanciaApp);
      const frame = await deps.embed.frame(chave, instancia);
      reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (!frame) {
        return reply
          .code(404)
          .header('content-security-policy', "default-src 'none'")
          .send('<!doctype html><html lang="pt-BR"><meta charset="utf-8"><title>Funcionalidade não encontrada</title><p>Funcionalidade não encontrada ou desativada nesta instância.</p></html>');
      }
      return reply.header('content-security-policy', frameCsp(frame.origens)).send(framePage({ origens: frame.origens, chave, instancia }));
    });

    app.post(
      '/sdk/v1/abrir',
      {
        schema: {
          tags,
          summary: 'Chamado pela página intermediária: a URL da funcionalidade com uma chave passe nova da sessão do token (ou sem login, sem token)',
          body: z.object({
            chaveFuncionalidade: z.string().trim().min(1).max(100),
            instanciaApp,
            token: z.string().max(4096).nullable(),
            origem: z.string().max(300).describe('A origem da página que embutiu, como o iframe a viu'),
          }),
          response: {
            200: z.object({ url: z.string(), expiraEm: z.number().int().nullable() }),
            400: apiErrorSchema,
            401: apiErrorSchema,
            403: apiErrorSchema,
            404: apiErrorSchema,
            502: apiErrorSchema,
          },
        },
      },
      async (request) =>
        deps.embed.abrir({
          chaveFuncionalidade: request.body.chaveFuncionalidade,
          instancia: instanciaOf(request.body.instanciaApp),
          token: request.body.token,
          origem: request.body.origem,
          correlationId: request.id,
        }),
    );
  };
}

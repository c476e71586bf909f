import { AppError } from '../../platform/errors.ts';
import type { AppSessionsService, FuncionalidadeOpener } from '../app-sessions/app-sessions.service.ts';
import type { Funcionalidade } from '../funcionalidades/funcionalidades.repo.ts';
import type { FuncionalidadesService } from '../funcionalidades/funcionalidades.service.ts';
import type { OrigensService } from '../origens/origens.service.ts';

/** What an embedded funcionalidade reports as its "app" (returned by `/clientes/chavePasse/sistema`). */
export const EMBED_SISTEMA = { plataforma: 'web', versaoApp: 'embed-v1', dispositivo: null, idioma: null, geolocalizacao: null } as const;

/**
 * Funcionalidades embedded in the operator's own site (platform reference §3.6): `embed.js` puts
 * an iframe of Ponte's frame page in the operator's page; the frame page (framed only by the
 * cliente's registered origins: `frame-ancestors`) receives the chaveAuth token by `postMessage`
 * from a registered origin, asks `abrir` for the funcionalidade's URL with a fresh chave passe —
 * the same chave passe the app gets — and navigates to it. Without a token, the funcionalidade's
 * URL opens as it is (a page that needs no login).
 */
export function createEmbedService(deps: {
  funcionalidades: Pick<FuncionalidadesService, 'findByChave'>;
  origens: Pick<OrigensService, 'list'>;
  sessions: Pick<AppSessionsService, 'resolve' | 'refreshIfDue'>;
  chavesPasse: FuncionalidadeOpener;
}) {
  /** The active funcionalidade of that instância, or undefined (unknown, inactive, other instância). */
  async function funcionalidadeOf(chave: string, instancia: 1 | 2): Promise<Funcionalidade | undefined> {
    const f = await deps.funcionalidades.findByChave(chave);
    return f && f.ativa && f.instancia === instancia ? f : undefined;
  }

  /** The origins the funcionalidade's cliente registered in Segurança → Origens. */
  async function origensOf(f: Funcionalidade): Promise<string[]> {
    return (await deps.origens.list(f.clienteId)).map((o) => o.origem);
  }

  return {
    /** What the frame page needs: the origins that may frame it (none: nobody). */
    async frame(chave: string, instancia: 1 | 2): Promise<{ origens: string[] } | undefined> {
      const f = await funcionalidadeOf(chave, instancia);
      return f && { origens: await origensOf(f) };
    },

    /** Whether a page at `origin` may embed the funcionalidade (the script checks before framing). */
    async permitida(chave: string, instancia: 1 | 2, origin: string | undefined): Promise<{ permitida: boolean; mensagem: string | null }> {
      const f = await funcionalidadeOf(chave, instancia);
      if (!f) return { permitida: false, mensagem: 'Funcionalidade não encontrada ou desativada nesta instância.' };
      if (!origin || !(await origensOf(f)).includes(origin)) {
        return { permitida: false, mensagem: `A origem ${origin ?? '(desconhecida)'} não está autorizada a embutir funcionalidades: cadastre-a no painel em Segurança → Origens.` };
      }
      return { permitida: true, mensagem: null };
    },

    /**
     * The URL the frame navigates to: with a chave passe for the token's session, or as it is
     * without a token. `origem` is the embedding page's origin as the frame saw it.
     */
    async abrir(input: { chaveFuncionalidade: string; instancia: 1 | 2; token: string | null; origem: string; correlationId?: string }): Promise<{ url: string; expiraEm: number | null }> {
      const f = await funcionalidadeOf(input.chaveFuncionalidade, input.instancia);
      if (!f) throw new AppError('NOT_FOUND', 'Funcionalidade não encontrada.');
      if (!(await origensOf(f)).includes(input.origem)) {
        throw new AppError('FORBIDDEN', `A origem ${input.origem.slice(0, 200)} não está autorizada a embutir funcionalidades: cadastre-a no painel em Segurança → Origens.`);
      }
      if (input.token === null) return { url: f.url, expiraEm: null };
      const found = await deps.sessions.resolve(input.token);
      if (!found || found.clienteId !== f.clienteId || found.instancia !== f.instancia) {
        throw new AppError('UNAUTHENTICATED', 'Sessão ausente ou expirada: gere outro token pelo chaveAuth.');
      }
      const session = await deps.sessions.refreshIfDue(found, input.correlationId);
      return deps.chavesPasse.open({ session, chaveFuncionalidade: f.chave, sistema: { ...EMBED_SISTEMA } });
    },
  };
}

export type EmbedService = ReturnType<typeof createEmbedService>;

import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { CaixaDeSaidaRepo, Canal, MensagemEnviada } from './caixa-de-saida.repo.ts';

export type { Canal, MensagemEnviada };

export const MAX_PAGE_SIZE = 100;

/**
 * The development outbox (`mensagens_enviadas`): where codes go when there is no real channel,
 * so developers and tests can read them in the painel. It holds the codes in clear on purpose;
 * production never writes here (see `mensageiro.ts`).
 */
export function createCaixaDeSaida(deps: { repos: { caixaDeSaida: CaixaDeSaidaRepo }; clock: Clock }) {
  const repo = deps.repos.caixaDeSaida;
  return {
    async guardar(input: { clienteId: string; instancia: 1 | 2; canal: Canal; destino: string; texto: string }): Promise<void> {
      await repo.insert({ id: newId('mensagem'), ...input, criadaEm: deps.clock.now() });
    },

    /** Newest first; `pagina` starts at 1. */
    async listar(input: { clienteId: string; instancia: 1 | 2; pagina: number; porPagina: number }) {
      const porPagina = Math.min(Math.max(1, Math.trunc(input.porPagina)), MAX_PAGE_SIZE);
      const pagina = Math.max(1, Math.trunc(input.pagina));
      const scope = { clienteId: input.clienteId, instancia: input.instancia };
      const [itens, total] = await Promise.all([repo.listNewestFirst(scope, { limit: porPagina, offset: (pagina - 1) * porPagina }), repo.count(scope)]);
      return { itens, pagina, porPagina, total };
    },
  };
}

export type CaixaDeSaida = ReturnType<typeof createCaixaDeSaida>;

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../api/client.ts';
import type { Instancia, PaginaCaixaDeSaida } from '../../api/types.ts';

export const caixaKeys = {
  all: ['caixa-de-saida'] as const,
  page: (clienteId: string, instancia: Instancia, pagina: number) => [...caixaKeys.all, clienteId, instancia, pagina] as const,
};

export const REFRESH_MS = 5_000;
export const POR_PAGINA = 20;

/** The outbox, newest first; polled every 5 s while `autoRefresh` is on (and the tab is visible). */
export function useCaixaDeSaida(clienteId: string, instancia: Instancia, pagina: number, autoRefresh: boolean) {
  return useQuery({
    queryKey: caixaKeys.page(clienteId, instancia, pagina),
    queryFn: () => api.get<PaginaCaixaDeSaida>(`/clientes/${clienteId}/instancias/${instancia}/mensagens${queryString({ pagina, porPagina: POR_PAGINA })}`),
    refetchInterval: autoRefresh ? REFRESH_MS : false,
    placeholderData: keepPreviousData,
  });
}

/** The 6-digit recovery code in a message, if there is one. */
export function codigoDe(texto: string): string | null {
  return /(?<!\d)(\d{6})(?!\d)/.exec(texto)?.[1] ?? null;
}

/** An e-mail is stored as "assunto\n\ncorpo"; an SMS is only text. */
export function partesDe(canal: 'email' | 'sms', texto: string): { assunto: string | null; corpo: string } {
  if (canal !== 'email') return { assunto: null, corpo: texto };
  const [assunto, ...resto] = texto.split('\n\n');
  return { assunto: assunto ?? null, corpo: resto.join('\n\n').trim() };
}

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../api/client.ts';
import type { EventoAuditoria } from '../../api/types.ts';

/** The auditoria's filters as the server takes them (all optional). */
export type FiltrosAuditoria = { acao?: string; atorId?: string; de?: number; ate?: number; instancia?: number };

export const auditoriaKeys = {
  all: ['auditoria'] as const,
  list: (clienteId: string, filtros: FiltrosAuditoria = {}) => [...auditoriaKeys.all, clienteId, filtros] as const,
  atores: (clienteId: string) => [...auditoriaKeys.all, clienteId, 'atores'] as const,
};

const PAGE = 30;

/** Newest first; each further page starts before the oldest event already shown. */
export function useAuditoria(clienteId: string, filtros: FiltrosAuditoria = {}) {
  return useInfiniteQuery({
    queryKey: auditoriaKeys.list(clienteId, filtros),
    initialPageParam: undefined as number | undefined,
    queryFn: async ({ pageParam }) =>
      (await api.get<{ eventos: EventoAuditoria[] }>(`/clientes/${clienteId}/auditoria${queryString({ ...filtros, limite: PAGE, antesDe: pageParam })}`)).eventos,
    getNextPageParam: (last) => (last.length < PAGE ? undefined : last[last.length - 1]?.criadoEm),
  });
}

/** Everyone who changed something in the cliente, for the "quem" filter. */
export function useAtoresAuditoria(clienteId: string) {
  return useQuery({
    queryKey: auditoriaKeys.atores(clienteId),
    queryFn: async () => (await api.get<{ atores: { atorId: string | null; ator: string }[] }>(`/clientes/${clienteId}/auditoria/atores`)).atores,
    staleTime: 60_000,
  });
}

/** The CSV of the filtered events (a plain link: the session cookie goes with a GET). */
export function exportarAuditoriaUrl(clienteId: string, filtros: FiltrosAuditoria): string {
  return `/painel/api/clientes/${clienteId}/auditoria/exportar${queryString(filtros)}`;
}

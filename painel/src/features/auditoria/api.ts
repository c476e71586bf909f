import { useInfiniteQuery } from '@tanstack/react-query';
import { api, queryString } from '../../api/client.ts';
import type { EventoAuditoria } from '../../api/types.ts';

export const auditoriaKeys = {
  all: ['auditoria'] as const,
  list: (clienteId: string) => [...auditoriaKeys.all, clienteId] as const,
};

const PAGE = 30;

/** Newest first; each further page starts before the oldest event already shown. */
export function useAuditoria(clienteId: string) {
  return useInfiniteQuery({
    queryKey: auditoriaKeys.list(clienteId),
    initialPageParam: undefined as number | undefined,
    queryFn: async ({ pageParam }) =>
      (await api.get<{ eventos: EventoAuditoria[] }>(`/clientes/${clienteId}/auditoria${queryString({ limite: PAGE, antesDe: pageParam })}`)).eventos,
    getNextPageParam: (last) => (last.length < PAGE ? undefined : last[last.length - 1]?.criadoEm),
  });
}

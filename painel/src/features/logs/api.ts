import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../api/client.ts';
import type { Instancia, LogDetalhe, LogPagina } from '../../api/types.ts';

export type FiltrosLog = {
  de?: number;
  ate?: number;
  operacao?: string;
  status?: number;
  resultado?: string;
  chaveUsuario?: string;
  pagina: number;
  porPagina: number;
};

export const logKeys = {
  all: ['logs'] as const,
  list: (clienteId: string, instancia: Instancia, filtros: FiltrosLog) => [...logKeys.all, clienteId, instancia, 'lista', filtros] as const,
  detail: (clienteId: string, logId: string) => [...logKeys.all, clienteId, 'detalhe', logId] as const,
};

export function useLogs(clienteId: string, instancia: Instancia, filtros: FiltrosLog) {
  return useQuery({
    queryKey: logKeys.list(clienteId, instancia, filtros),
    queryFn: () => api.get<LogPagina>(`/clientes/${clienteId}/logs${queryString({ instancia, ...filtros })}`),
    placeholderData: keepPreviousData,
  });
}

export function useLog(clienteId: string, logId: string | null) {
  return useQuery({
    queryKey: logKeys.detail(clienteId, logId ?? ''),
    queryFn: () => api.get<LogDetalhe>(`/clientes/${clienteId}/logs/${logId}`),
    enabled: logId !== null,
    staleTime: Infinity,
  });
}

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
  /** `saida`: Ponte → operadora; `entrada`: operadora → Ponte (/clientes). Absent: both. */
  direcao?: string;
  motivo?: string;
  pagina: number;
  porPagina: number;
};

/** Why Ponte refused an operator's call, as the painel names it (codes from log-center.types.ts). */
export const motivoLabels: Record<string, string> = {
  token_sem_api: 'Token sem a API',
  limite_excedido: 'Limite de requisições do token',
  parametros_ausentes: 'Parâmetros ausentes',
  chave_desconhecida: 'Chave passe desconhecida',
  chave_expirada: 'Chave passe expirada',
  sessao_encerrada: 'Sessão encerrada',
  cliente_diferente: 'Chave de outro cliente',
  instancia_diferente: 'Instância diferente',
  funcionalidade_diferente: 'Outra funcionalidade',
  funcionalidade_inativa: 'Funcionalidade inativa',
  origem_nao_cadastrada: 'Origem não cadastrada',
  indisponivel: 'Ponte indisponível',
};

/** The CSV of the filtered calls (a plain link: the session cookie goes with it, no CSRF needed for a GET). */
export function exportarLogsUrl(clienteId: string, instancia: Instancia, filtros: Omit<FiltrosLog, 'pagina' | 'porPagina'>): string {
  return `/painel/api/clientes/${clienteId}/logs/exportar${queryString({ instancia, ...filtros })}`;
}

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

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ComparacaoCopia } from '../../api/types.ts';
import { formularioKeys } from '../formularios/api.ts';
import { integracaoKeys } from './api.ts';

export const copiaKeys = {
  all: ['copia-para-producao'] as const,
  comparacao: (clienteId: string) => [...copiaKeys.all, clienteId] as const,
};

const path = (clienteId: string) => `/clientes/${clienteId}/integracao/copia-para-producao`;

/** Sandbox × Produção, item by item; always fresh when the dialog opens. */
export function useComparacao(clienteId: string, enabled: boolean) {
  return useQuery({ queryKey: copiaKeys.comparacao(clienteId), queryFn: () => api.get<ComparacaoCopia>(path(clienteId)), enabled, staleTime: 0, gcTime: 0 });
}

export function useAplicarCopia(clienteId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (versaoProducao: number | null) => api.post<ComparacaoCopia>(path(clienteId), { confirmar: true, versaoProducao }),
    onSuccess: (depois) => {
      queryClient.setQueryData(copiaKeys.comparacao(clienteId), depois);
      void queryClient.invalidateQueries({ queryKey: integracaoKeys.detail(clienteId, 2) });
      void queryClient.invalidateQueries({ queryKey: formularioKeys.list(clienteId, 2) });
    },
  });
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Origem } from '../../api/types.ts';

export const origemKeys = {
  all: ['origens'] as const,
  list: (clienteId: string) => [...origemKeys.all, clienteId] as const,
};

export function useOrigens(clienteId: string) {
  return useQuery({
    queryKey: origemKeys.list(clienteId),
    queryFn: async () => (await api.get<{ origens: Origem[] }>(`/clientes/${clienteId}/origens`)).origens,
  });
}

export function useAddOrigem(clienteId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (origem: string) => api.post<Origem>(`/clientes/${clienteId}/origens`, { origem }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: origemKeys.list(clienteId) }),
  });
}

export function useRemoveOrigem(clienteId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/clientes/${clienteId}/origens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: origemKeys.list(clienteId) }),
  });
}

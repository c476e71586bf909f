import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Grupo, GrupoEntrada, Instancia } from '../../api/types.ts';

export const grupoKeys = {
  all: ['grupos'] as const,
  list: (clienteId: string, instancia: Instancia) => [...grupoKeys.all, clienteId, instancia] as const,
};

const base = (clienteId: string, instancia: Instancia) => `/clientes/${clienteId}/instancias/${instancia}/grupos`;

export function useGrupos(clienteId: string, instancia: Instancia) {
  return useQuery({
    queryKey: grupoKeys.list(clienteId, instancia),
    queryFn: async () => (await api.get<{ grupos: Grupo[] }>(base(clienteId, instancia))).grupos,
  });
}

/** Create (no id) or update: either way the server calls /autorizacao live and saves only if it passes. */
export function useSaveGrupo(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: GrupoEntrada }) =>
      id ? api.put<Grupo>(`${base(clienteId, instancia)}/${id}`, body) : api.post<Grupo>(base(clienteId, instancia), body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: grupoKeys.list(clienteId, instancia) }),
  });
}

export function useRenovarGrupo(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Grupo>(`${base(clienteId, instancia)}/${id}/renovar`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: grupoKeys.list(clienteId, instancia) }),
  });
}

export function useRemoveGrupo(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${base(clienteId, instancia)}/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: grupoKeys.list(clienteId, instancia) }),
  });
}

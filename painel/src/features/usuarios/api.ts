import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Membro, MembroCriado, NovoMembro, Papel } from '../../api/types.ts';

export const usuarioKeys = {
  all: ['usuarios'] as const,
  list: (clienteId: string) => [...usuarioKeys.all, clienteId] as const,
};

const base = (clienteId: string) => `/clientes/${clienteId}/usuarios`;

export function useMembros(clienteId: string, enabled = true) {
  return useQuery({
    queryKey: usuarioKeys.list(clienteId),
    queryFn: async () => (await api.get<{ usuarios: Membro[] }>(base(clienteId))).usuarios,
    enabled,
  });
}

function useMembrosMutation<TInput, TOutput>(clienteId: string, request: (input: TInput) => Promise<TOutput>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSettled: () => queryClient.invalidateQueries({ queryKey: usuarioKeys.list(clienteId) }),
  });
}

export function useAddMembro(clienteId: string) {
  return useMembrosMutation(clienteId, (body: NovoMembro) => api.post<MembroCriado>(base(clienteId), body));
}

export function useChangePapel(clienteId: string) {
  return useMembrosMutation(clienteId, ({ usuarioId, papel }: { usuarioId: string; papel: Papel }) => api.put<Membro>(`${base(clienteId)}/${usuarioId}/papel`, { papel }));
}

export function useSetAtivo(clienteId: string) {
  return useMembrosMutation(clienteId, ({ usuarioId, ativo }: { usuarioId: string; ativo: boolean }) => api.put<Membro>(`${base(clienteId)}/${usuarioId}/ativo`, { ativo }));
}

export function useRemoveMembro(clienteId: string) {
  return useMembrosMutation(clienteId, (usuarioId: string) => api.delete(`${base(clienteId)}/${usuarioId}`));
}

export const papelDescricoes: Record<Papel, string> = {
  admin: 'Tudo, inclusive usuários, tokens do cliente e origens.',
  editor: 'Configura integração, grupos, formulários e funcionalidades; roda o validador.',
  leitor: 'Só consulta: configuração, logs e auditoria.',
};

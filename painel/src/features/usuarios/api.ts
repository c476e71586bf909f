import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Convite, ConviteCriado, Membro, NovoConvite, Papel } from '../../api/types.ts';

export const usuarioKeys = {
  all: ['usuarios'] as const,
  list: (clienteId: string) => [...usuarioKeys.all, clienteId] as const,
  convites: (clienteId: string) => [...usuarioKeys.all, clienteId, 'convites'] as const,
};

const base = (clienteId: string) => `/clientes/${clienteId}/usuarios`;
const convitesBase = (clienteId: string) => `/clientes/${clienteId}/convites`;

export function useMembros(clienteId: string, enabled = true) {
  return useQuery({
    queryKey: usuarioKeys.list(clienteId),
    queryFn: async () => (await api.get<{ usuarios: Membro[] }>(base(clienteId))).usuarios,
    enabled,
  });
}

/** Invitations not accepted yet (pending and expired): admins only. */
export function useConvites(clienteId: string) {
  return useQuery({
    queryKey: usuarioKeys.convites(clienteId),
    queryFn: async () => (await api.get<{ convites: Convite[] }>(convitesBase(clienteId))).convites,
  });
}

/** Every change to people refreshes both lists (members and invitations). */
function useMembrosMutation<TInput, TOutput>(clienteId: string, request: (input: TInput) => Promise<TOutput>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSettled: () => queryClient.invalidateQueries({ queryKey: usuarioKeys.list(clienteId) }),
  });
}

export function useConvidar(clienteId: string) {
  return useMembrosMutation(clienteId, async (body: NovoConvite) => (await api.post<{ convite: ConviteCriado }>(base(clienteId), body)).convite);
}

export function useReenviarConvite(clienteId: string) {
  return useMembrosMutation(clienteId, async (convite: Convite) => (await api.post<{ convite: ConviteCriado }>(`${convitesBase(clienteId)}/${convite.id}/reenviar`)).convite);
}

export function useCancelarConvite(clienteId: string) {
  return useMembrosMutation(clienteId, (convite: Convite) => api.delete(`${convitesBase(clienteId)}/${convite.id}`));
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

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { NovoToken, Token, TokenCriado } from '../../api/types.ts';

export const tokenKeys = {
  all: ['tokens'] as const,
  list: (clienteId: string) => [...tokenKeys.all, clienteId] as const,
};

export function useTokens(clienteId: string) {
  return useQuery({
    queryKey: tokenKeys.list(clienteId),
    queryFn: async () => (await api.get<{ tokens: Token[] }>(`/clientes/${clienteId}/tokens`)).tokens,
  });
}

export function useCreateToken(clienteId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NovoToken) => api.post<TokenCriado>(`/clientes/${clienteId}/tokens`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.list(clienteId) }),
  });
}

export function useRevokeToken(clienteId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) => api.delete<Token>(`/clientes/${clienteId}/tokens/${tokenId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.list(clienteId) }),
  });
}

export const apiLabels: Record<Token['apis'][number], { nome: string; descricao: string }> = {
  chavePasse: { nome: 'Chave passe', descricao: 'Consultar /clientes/chavePasse/* (usuário, grupo familiar, sistema) a partir das funcionalidades abertas no app.' },
  seguranca: {
    nome: 'Segurança',
    descricao:
      'Abrir sessões de beneficiários já conhecidos pelo seu sistema: POST /clientes/utilitarios/seguranca/chaveAuth com a chave única da pessoa devolve um token de sessão de 30 minutos, usado para embutir funcionalidades no seu site. Exige a elegibilidade ativa em Integração. Use só no servidor, nunca no navegador.',
  },
};

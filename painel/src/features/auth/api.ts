import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../../api/client.ts';
import type { ConviteAceito, ConviteConsulta, Sessao } from '../../api/types.ts';
import { lembrarCliente } from '../shell/workspace.tsx';

export const sessionKeys = { current: ['sessao'] as const };

/** The logged user, their clientes (with role) and the CSRF token; `null` when nobody is logged in. */
export function useSession() {
  return useQuery({
    queryKey: sessionKeys.current,
    queryFn: async (): Promise<Sessao | null> => {
      try {
        const sessao = await api.get<Sessao>('/auth/sessao');
        setCsrfToken(sessao.csrfToken);
        return sessao;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; senha: string }) => api.post<Sessao>('/auth/login', body),
    onSuccess: (sessao) => {
      setCsrfToken(sessao.csrfToken);
      queryClient.setQueryData(sessionKeys.current, sessao);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      // The session query is set, not dropped: what observes it (the screens behind the login) must
      // hear "nobody" to go to the login — a query recreated after clear() has no observers.
      queryClient.setQueryData(sessionKeys.current, null);
      // Nothing the previous user loaded stays for whoever logs in next.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKeys.current[0] });
      queryClient.getMutationCache().clear();
    },
  });
}

/** "Esqueci minha senha": the answer is the same whether or not the e-mail has an account. */
export function useEsqueciSenha() {
  return useMutation({ mutationFn: (body: { email: string }) => api.post<{ mensagem: string }>('/auth/senha/esqueci', body) });
}

/** Sets the new password with the e-mailed link; every session of that account ends (this browser's too). */
export function useRedefinirSenha() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { token: string; senhaNova: string }) => api.post<void>('/auth/senha/redefinir', body),
    onSuccess: () => {
      setCsrfToken(null);
      queryClient.setQueryData(sessionKeys.current, null);
    },
  });
}

/** Changes the logged user's password; the other sessions end, this one stays. */
export function useTrocarSenha() {
  return useMutation({ mutationFn: (body: { senhaAtual: string; senhaNova: string }) => api.put<{ sessoesEncerradas: number }>('/auth/senha', body) });
}

/** What an invitation link shows (cliente, e-mail, papel, whether the e-mail has an account). */
export function useConsultaConvite(token: string) {
  return useQuery({
    queryKey: ['convite', token],
    queryFn: () => api.post<ConviteConsulta>('/convites/consultar', { token }),
    enabled: token.length > 0,
    retry: false,
    staleTime: Infinity,
  });
}

/** Accepts the invitation; the painel then opens on the cliente just joined. */
export function useAceitarConvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { token: string; nome?: string; senha?: string }) => api.post<ConviteAceito>('/convites/aceitar', body),
    onSuccess: ({ clienteId, ...sessao }) => {
      setCsrfToken(sessao.csrfToken);
      lembrarCliente(clienteId);
      queryClient.setQueryData(sessionKeys.current, sessao);
    },
  });
}

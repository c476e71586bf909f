import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../../api/client.ts';
import type { Sessao } from '../../api/types.ts';

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
      queryClient.clear();
      queryClient.setQueryData(sessionKeys.current, null);
    },
  });
}

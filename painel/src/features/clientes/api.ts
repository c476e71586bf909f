import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Cliente } from '../../api/types.ts';
import { sessionKeys } from '../auth/api.ts';

/** Platform admins create clientes; the session then lists it. */
export function useCreateCliente() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { nome: string }) => api.post<Cliente>('/clientes', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.current }),
  });
}

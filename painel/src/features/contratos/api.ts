import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Contrato } from '../../api/types.ts';

export const contratoKeys = { all: ['contratos'] as const };

/** The operator contracts, as declared on the server; they change only with a new Ponte version. */
export function useContratos() {
  return useQuery({
    queryKey: contratoKeys.all,
    queryFn: async () => (await api.get<{ contratos: Contrato[] }>('/contratos')).contratos,
    staleTime: Infinity,
  });
}

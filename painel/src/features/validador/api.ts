import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Instancia, MetodoOperadora, RelatorioValidacao } from '../../api/types.ts';
import { grupoKeys } from '../grupos/api.ts';
import { logKeys } from '../logs/api.ts';

export type ExecucaoValidador = {
  metodo: MetodoOperadora;
  entrada: Record<string, unknown>;
  grupoId?: string;
  /** `recusa`: a negative test, passed by a refusal that follows the contract. */
  expectativa?: 'sucesso' | 'recusa';
  /** Runs the login (or identificação) first and reuses its seguranca, chaveUnica and integracao. */
  loginDeTeste?: { entrada: Record<string, unknown> };
  headersExtras?: { nome: string; valor: string }[];
};

/** Runs one method against the configured endpoint; the call also lands in the central de logs. */
export function useRunValidador(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ExecucaoValidador) => api.post<RelatorioValidacao>(`/clientes/${clienteId}/instancias/${instancia}/validador`, body),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: logKeys.all });
      void queryClient.invalidateQueries({ queryKey: grupoKeys.list(clienteId, instancia) });
    },
  });
}

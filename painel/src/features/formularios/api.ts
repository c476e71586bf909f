import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Instancia, ListaFormularios, MetodoIntegracao } from '../../api/types.ts';

export const formularioKeys = {
  all: ['formularios'] as const,
  list: (clienteId: string, instancia: Instancia) => [...formularioKeys.all, clienteId, instancia] as const,
};

/** The instância's forms and, per method, which one the app uses (or the default). */
export function useFormularios(clienteId: string, instancia: Instancia) {
  return useQuery({
    queryKey: formularioKeys.list(clienteId, instancia),
    queryFn: () => api.get<ListaFormularios>(`/clientes/${clienteId}/instancias/${instancia}/formularios`),
  });
}

/** The form definition the app uses for a method: the chosen one, or the default. */
export function formularioEmUso(lista: ListaFormularios, metodo: MetodoIntegracao) {
  const finalidade = lista.finalidades.find((f) => f.finalidade === metodo);
  if (!finalidade) return undefined;
  return lista.formularios.find((f) => f.id === finalidade.formularioId) ?? finalidade.padrao;
}

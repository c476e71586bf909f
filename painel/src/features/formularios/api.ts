import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { DefinicaoFormularioEntrada, Formulario, Instancia, ListaFormularios, FinalidadeFormulario, TesteFormulario } from '../../api/types.ts';

export const formularioKeys = {
  all: ['formularios'] as const,
  list: (clienteId: string, instancia: Instancia) => [...formularioKeys.all, clienteId, instancia] as const,
};

/** Which form a method uses lives in the integração: its screen must reload after a change here. */
const integracaoKey = (clienteId: string, instancia: Instancia) => ['integracao', clienteId, instancia] as const;

const base = (clienteId: string, instancia: Instancia) => `/clientes/${clienteId}/instancias/${instancia}/formularios`;

/** The instância's forms and, per method, which one the app uses (or the default). */
export function useFormularios(clienteId: string, instancia: Instancia) {
  return useQuery({
    queryKey: formularioKeys.list(clienteId, instancia),
    queryFn: () => api.get<ListaFormularios>(base(clienteId, instancia)),
  });
}

/** The form definition the app uses for a method: the chosen one, or the default. */
export function formularioEmUso(lista: ListaFormularios, metodo: FinalidadeFormulario) {
  const finalidade = lista.finalidades.find((f) => f.finalidade === metodo);
  if (!finalidade) return undefined;
  return lista.formularios.find((f) => f.id === finalidade.formularioId) ?? finalidade.padrao;
}

/** Create (no id) or replace a form's definition. */
export function useSaveFormulario(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, definicao }: { id?: string | undefined; definicao: DefinicaoFormularioEntrada }) =>
      id ? api.put<Formulario>(`${base(clienteId, instancia)}/${id}`, definicao) : api.post<Formulario>(base(clienteId, instancia), definicao),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: formularioKeys.list(clienteId, instancia) }),
  });
}

export function useRemoveFormulario(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${base(clienteId, instancia)}/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: formularioKeys.list(clienteId, instancia) }),
  });
}

/** Chooses the form the app uses for a method (`null`: the default). */
export function useUsarFormulario(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ finalidade, formularioId }: { finalidade: FinalidadeFormulario; formularioId: string | null }) =>
      api.put<ListaFormularios>(`${base(clienteId, instancia)}/em-uso/${finalidade}`, { formularioId }),
    onSuccess: (lista) => {
      queryClient.setQueryData(formularioKeys.list(clienteId, instancia), lista);
      void queryClient.invalidateQueries({ queryKey: integracaoKey(clienteId, instancia) });
    },
  });
}

/** Validates sample values as the server validates the app's submission, against the definition in the editor. */
export function useTestarFormulario(clienteId: string, instancia: Instancia) {
  return useMutation({
    mutationFn: ({ definicao, valores }: { definicao: DefinicaoFormularioEntrada; valores: Record<string, string> }) =>
      api.post<TesteFormulario>(`${base(clienteId, instancia)}/testar`, { definicao, valores }),
  });
}

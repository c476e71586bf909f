import { funcionalidadeUrlProblem } from '../../../../src/modules/funcionalidades/funcionalidade-url.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Funcionalidade, FuncionalidadeEntrada, Instancia } from '../../api/types.ts';

export const funcionalidadeKeys = {
  all: ['funcionalidades'] as const,
  list: (clienteId: string, instancia: Instancia) => [...funcionalidadeKeys.all, clienteId, instancia] as const,
};

const base = (clienteId: string, instancia: Instancia) => `/clientes/${clienteId}/instancias/${instancia}/funcionalidades`;

export function useFuncionalidades(clienteId: string, instancia: Instancia) {
  return useQuery({
    queryKey: funcionalidadeKeys.list(clienteId, instancia),
    queryFn: async () => (await api.get<{ funcionalidades: Funcionalidade[] }>(base(clienteId, instancia))).funcionalidades,
  });
}

/** Create (no id; the server generates the chaveFuncionalidade) or update (the chave never changes). */
export function useSaveFuncionalidade(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string | undefined; body: FuncionalidadeEntrada }) =>
      id ? api.put<Funcionalidade>(`${base(clienteId, instancia)}/${id}`, body) : api.post<Funcionalidade>(base(clienteId, instancia), body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: funcionalidadeKeys.list(clienteId, instancia) }),
  });
}

export function useRemoveFuncionalidade(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${base(clienteId, instancia)}/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: funcionalidadeKeys.list(clienteId, instancia) }),
  });
}

/** The body that keeps everything of `f` but what `mudancas` changes (PUT replaces the funcionalidade). */
export function entradaDe(f: Funcionalidade, mudancas: Partial<FuncionalidadeEntrada> = {}): FuncionalidadeEntrada {
  return { nome: f.nome, url: f.url, codigo: f.codigo, validadeMinutos: f.validadeMinutos, ativa: f.ativa, ...mudancas };
}

/** Why `url` cannot be saved for the instância, checked as the user types with the server's own rule. */
export function problemaDaUrl(valor: string, instancia: Instancia): string | null {
  const texto = valor.trim();
  if (!texto) return 'Informe a URL da funcionalidade.';
  return funcionalidadeUrlProblem(texto, instancia) ?? null;
}

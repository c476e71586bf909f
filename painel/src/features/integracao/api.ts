import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { joinSuffix } from '../../../../src/modules/integracoes/integracao-url.ts';
import { api } from '../../api/client.ts';
import type { Instancia, Integracao, IntegracaoEntrada } from '../../api/types.ts';
import { formularioKeys } from '../formularios/api.ts';

export const integracaoKeys = {
  all: ['integracao'] as const,
  detail: (clienteId: string, instancia: Instancia) => [...integracaoKeys.all, clienteId, instancia] as const,
};

const path = (clienteId: string, instancia: Instancia) => `/clientes/${clienteId}/instancias/${instancia}/integracao`;

export function useIntegracao(clienteId: string, instancia: Instancia) {
  return useQuery({ queryKey: integracaoKeys.detail(clienteId, instancia), queryFn: () => api.get<Integracao>(path(clienteId, instancia)) });
}

export function useSaveIntegracao(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: IntegracaoEntrada) => api.put<Integracao>(path(clienteId, instancia), body),
    onSuccess: (saved) => {
      queryClient.setQueryData(integracaoKeys.detail(clienteId, instancia), saved);
      // Which form each method uses is part of the integração.
      void queryClient.invalidateQueries({ queryKey: formularioKeys.list(clienteId, instancia) });
    },
  });
}

/** The URL a method is called at, as the server computes it: its own, else the suffix joined to the base URL's path. */
export function urlEfetiva(baseUrl: string, own: string, sufixo: string): string | null {
  if (own.trim()) return own.trim();
  return baseUrl.trim() ? joinSuffix(baseUrl.trim(), sufixo) : null;
}

/** Whether a method's own URL ends with its suffix (path only, trailing slashes ignored), as the server checks. */
export function terminaComSufixo(url: string, sufixo: string): boolean {
  try {
    return new URL(url.trim()).pathname.replace(/\/+$/, '').endsWith(sufixo);
  } catch {
    return false;
  }
}

export type ElegibilidadeEntrada = { ativa: boolean; reloginHoras: number | null; chaveUnicaTeste?: string };

/** Elegibilidade: the Ativo switch (turning on runs the live check) and the relogin interval. */
export function useSaveElegibilidade(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ElegibilidadeEntrada) => api.put<Integracao['elegibilidade']>(`${path(clienteId, instancia)}/elegibilidade`, body),
    onSuccess: (elegibilidade) => {
      queryClient.setQueryData<Integracao>(integracaoKeys.detail(clienteId, instancia), (atual) => (atual ? { ...atual, elegibilidade } : atual));
    },
  });
}

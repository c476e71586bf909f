import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { envioMensagensBody, envioMensagensSchema, testeBody, testeSchema } from '../../../../src/modules/mensagens/envio-mensagens.schemas.ts';
import { api } from '../../api/client.ts';
import type { Instancia } from '../../api/types.ts';

export type EnvioMensagens = z.infer<typeof envioMensagensSchema>;
export type EnvioMensagensEntrada = z.input<typeof envioMensagensBody>;
export type TesteEntrada = z.infer<typeof testeBody>;
export type ResultadoTeste = z.infer<typeof testeSchema>;

export const envioMensagensKeys = {
  all: ['envio-mensagens'] as const,
  detail: (clienteId: string, instancia: Instancia) => [...envioMensagensKeys.all, clienteId, instancia] as const,
};

const path = (clienteId: string, instancia: Instancia) => `/clientes/${clienteId}/instancias/${instancia}/envio-mensagens`;

export function useEnvioMensagens(clienteId: string, instancia: Instancia) {
  return useQuery({ queryKey: envioMensagensKeys.detail(clienteId, instancia), queryFn: () => api.get<EnvioMensagens>(path(clienteId, instancia)) });
}

export function useSaveEnvioMensagens(clienteId: string, instancia: Instancia) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: EnvioMensagensEntrada) => api.put<EnvioMensagens>(path(clienteId, instancia), body),
    onSuccess: (saved) => queryClient.setQueryData(envioMensagensKeys.detail(clienteId, instancia), saved),
  });
}

export function useTesteEnvio(clienteId: string, instancia: Instancia) {
  return useMutation({ mutationFn: (body: TesteEntrada) => api.post<ResultadoTeste>(`${path(clienteId, instancia)}/teste`, body) });
}

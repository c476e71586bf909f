import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, queryString } from '../../api/client.ts';
import type { Instancia, PainelInicial, PeriodoPainel } from '../../api/types.ts';

export const painelInicialKeys = {
  all: ['painel-inicial'] as const,
  of: (clienteId: string, instancia: Instancia, periodo: PeriodoPainel, fusoMinutos: number) => [...painelInicialKeys.all, clienteId, instancia, periodo, fusoMinutos] as const,
};

/** The browser's offset east of UTC, so the server cuts hours and days where this person's clock does. */
export function fusoDoNavegador(): number {
  return -new Date().getTimezoneOffset();
}

/** The landing page's numbers; refreshed every minute while the page is open. */
export function usePainelInicial(clienteId: string, instancia: Instancia, periodo: PeriodoPainel) {
  const fusoMinutos = fusoDoNavegador();
  return useQuery({
    queryKey: painelInicialKeys.of(clienteId, instancia, periodo, fusoMinutos),
    queryFn: () => api.get<PainelInicial>(`/clientes/${clienteId}/instancias/${instancia}/painel-inicial${queryString({ periodo, fusoMinutos })}`),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

import { NavLink } from '@mantine/core';
import { IconDeviceMobile } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Cliente } from '../../api/types.ts';
import { useWorkspace } from './workspace.tsx';

/**
 * Opens the beneficiary demo app (`/demo`) as the chosen cliente's app in the chosen instância, and
 * shows that instância's public app id — the id an operator's app sends in `X-App-Id`.
 */
export function AppDemoLink() {
  const { clienteId, instancia } = useWorkspace();
  const clientes = useQuery({
    queryKey: ['clientes', 'lista', clienteId],
    queryFn: () => api.get<{ clientes: Cliente[] }>('/clientes'),
    enabled: clienteId !== null,
    staleTime: 5 * 60_000,
  });
  const appId = clientes.data?.clientes.find((c) => c.id === clienteId)?.instancias.find((i) => i.numero === instancia)?.appId;
  if (!appId) return null;
  return (
    <NavLink
      href={`/demo?app=${encodeURIComponent(appId)}`}
      target="_blank"
      label="App demo"
      description={appId}
      leftSection={<IconDeviceMobile size={16} />}
      title="Abre o app do beneficiário (demo) desta instância numa nova aba. O id é o que o app da operadora envia em X-App-Id."
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
    />
  );
}

import { Button, Tooltip } from '@mantine/core';
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
    <Tooltip label={`Abre o app do beneficiário desta instância numa nova aba — X-App-Id ${appId}`} multiline maw={260} withArrow>
      <Button component="a" href={`/demo?app=${encodeURIComponent(appId)}`} target="_blank" variant="subtle" color="gray" c="var(--mantine-color-dimmed)" size="compact-sm" leftSection={<IconDeviceMobile size={16} />}>
        App demo
      </Button>
    </Tooltip>
  );
}

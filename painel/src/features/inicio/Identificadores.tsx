import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../../api/client.ts';
import type { Cliente } from '../../api/types.ts';
import { CopyField } from '../../components/CopyField.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { useCliente } from '../shell/workspace.tsx';

function Item({ rotulo, valor, ajuda, testId }: { rotulo: string; valor: string | null; ajuda: ReactNode; testId: string }) {
  return (
    <Stack gap={4} data-testid={testId}>
      <Text size="sm" fw={600}>
        {rotulo}
      </Text>
      {valor ? <CopyField value={valor} label={`Copiar ${rotulo.toLowerCase()}`} /> : <Text size="sm">—</Text>}
      <Text size="xs" c="dimmed">
        {ajuda}
      </Text>
    </Stack>
  );
}

/**
 * "Aplicativo e identificadores": what a developer pastes into an app, a backend or the CLI —
 * this instância's X-App-Id, the cliente's id and numeric code, and the two base URLs.
 */
export function Identificadores() {
  const { clienteId, clienteCodigo, instancia, instanciaNome } = useCliente();
  const clientes = useQuery({ queryKey: ['clientes', 'lista', clienteId], queryFn: () => api.get<{ clientes: Cliente[] }>('/clientes'), staleTime: 5 * 60_000 });
  const appId = clientes.data?.clientes.find((c) => c.id === clienteId)?.instancias.find((i) => i.numero === instancia)?.appId ?? null;
  const origem = window.location.origin;
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="identificadores-titulo">
      <Stack gap={4} mb="md">
        <Title order={3} size="h4" id="identificadores-titulo">
          Aplicativo e identificadores <InstanciaBadge />
        </Title>
        <Text size="sm" c="dimmed">
          Os valores que o app, o backend da operadora e a linha de comando usam para esta instância ({instanciaNome}).
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="lg" verticalSpacing="md">
        <Item testId="id-app" rotulo="X-App-Id" valor={appId} ajuda={`O app envia no header X-App-Id de cada chamada à API do app (${instanciaNome}).`} />
        <Item testId="id-cliente" rotulo="Id do cliente" valor={clienteId} ajuda="Para a linha de comando: ponte token create --cliente …" />
        <Item testId="id-codigo" rotulo="Código do cliente" valor={clienteCodigo === null ? null : String(clienteCodigo)} ajuda="O idCliente dos tokens temporários (/clientes/auth/temp-authorization)." />
        <Item testId="url-api-publica" rotulo="URL da API do cliente" valor={`${origem}/clientes`} ajuda="Chamada pelos servidores da operadora, com um token de APIs (tokens do cliente)." />
        <Item testId="url-api-app" rotulo="URL da API do app" valor={`${origem}/app/v1`} ajuda="Chamada pelo app do beneficiário, com o X-App-Id acima." />
      </SimpleGrid>
    </Paper>
  );
}

import { Anchor, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useLogs } from '../logs/api.ts';
import { useCliente } from '../shell/workspace.tsx';
import { formatInteiro } from './format.ts';

const HORA_MS = 3_600_000;

/** How many calls of the last hour match `filtros` (the total of a one-row page of the central de logs). */
function useContagem(desde: number, filtros: { direcao: 'saida' | 'entrada'; resultado?: string }) {
  const { clienteId, instancia } = useCliente();
  const logs = useLogs(clienteId, instancia, { de: desde, ...filtros, pagina: 1, porPagina: 1 });
  return { total: logs.data?.total, carregando: logs.isPending, erro: logs.isError };
}

function Numero({ rotulo, valor, carregando, para, cor }: { rotulo: string; valor: number | undefined; carregando: boolean; para: string; cor?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {rotulo}
      </Text>
      {carregando ? (
        <Skeleton height={28} width={60} />
      ) : (
        <Anchor component={Link} to={para} fz={22} fw={700} c={cor} underline="hover" aria-label={`${rotulo}: ${valor ?? 0} — ver na central de logs`}>
          {formatInteiro(valor ?? 0)}
        </Anchor>
      )}
    </Stack>
  );
}

/**
 * "Última hora" on the Painel inicial: the calls of the last 60 minutes in both directions — to the
 * operator and from the operator to Ponte — each number a link to those calls in the central de logs.
 */
export function UltimaHora() {
  const { link } = useCliente();
  const [desde] = useState(() => Date.now() - HORA_MS);
  const saida = useContagem(desde, { direcao: 'saida' });
  const saidaOk = useContagem(desde, { direcao: 'saida', resultado: 'sucesso' });
  const entrada = useContagem(desde, { direcao: 'entrada' });
  const recusadas = useContagem(desde, { direcao: 'entrada', resultado: 'recusado_pela_ponte' });
  const logs = (query: string) => `${link('logs')}?periodo=1h&${query}`;
  const falhas = saida.total !== undefined && saidaOk.total !== undefined ? Math.max(0, saida.total - saidaOk.total) : undefined;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Última hora" data-testid="ultima-hora">
      <Group justify="space-between" mb="sm">
        <Title order={4} fz="md">
          Última hora
        </Title>
        <Anchor component={Link} to={logs('')} size="sm">
          Abrir a central de logs
        </Anchor>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md">
        <Numero rotulo="Chamadas à operadora" valor={saida.total} carregando={saida.carregando} para={logs('direcao=saida')} />
        <Numero rotulo="Sem sucesso" valor={falhas} carregando={saida.carregando || saidaOk.carregando} para={logs('direcao=saida')} cor={falhas ? 'red.7' : undefined} />
        <Numero rotulo="Chamadas da operadora à Ponte" valor={entrada.total} carregando={entrada.carregando} para={logs('direcao=entrada')} />
        <Numero
          rotulo="Recusadas pela Ponte"
          valor={recusadas.total}
          carregando={recusadas.carregando}
          para={logs('direcao=entrada&resultado=recusado_pela_ponte')}
          cor={recusadas.total ? 'orange.8' : undefined}
        />
      </SimpleGrid>
    </Paper>
  );
}

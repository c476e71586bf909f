import { Alert, Badge, Code, Drawer, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { CopyField } from '../../components/CopyField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { JsonView } from '../../components/JsonView.tsx';
import { formatDateTime, formatMs } from '../../lib/format.ts';
import { resultadoLogColors, resultadoLogLabels, rotuloOperacaoLog, statusColor } from '../../lib/labels.ts';
import { LegendaMascaras, ViolacoesTable } from '../validador/ResultadoValidacao.tsx';
import { useLog } from './api.ts';
import { corDeTexto } from '../../theme.ts';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <div>{children}</div>
    </Stack>
  );
}

/** One call in full: request headers (values masked), bodies (sensitive fields masked), answer and violations. */
export function LogDrawer({ clienteId, logId, onClose }: { clienteId: string; logId: string | null; onClose: () => void }) {
  const log = useLog(clienteId, logId);
  const data = log.data;
  return (
    <Drawer opened={logId !== null} onClose={onClose} position="right" size={760} title={<Title order={4}>Detalhe da chamada</Title>} padding="lg">
      {log.isPending ? (
        <Stack gap="md">
          <Skeleton height={80} />
          <Skeleton height={160} />
          <Skeleton height={200} />
        </Stack>
      ) : log.isError ? (
        <ErrorAlert error={log.error} title="Não foi possível carregar a chamada" />
      ) : data ? (
        <Stack gap="lg" data-testid="detalhe-log">
          <Paper withBorder radius="md" p="md">
            <Group gap="xs" mb="md">
              <Text fw={600}>{rotuloOperacaoLog(data.operacao)}</Text>
              <Badge color={resultadoLogColors[data.resultado] ?? 'gray'} variant="light">
                {resultadoLogLabels[data.resultado] ?? data.resultado}
              </Badge>
              <Badge color={statusColor(data.resposta.status)} variant="light">
                {data.resposta.status ?? 'sem resposta'}
              </Badge>
              <Badge color={data.direcao === 'entrada' ? 'violet' : 'gray'} variant="outline">
                {data.direcao === 'entrada' ? 'entrada: operadora → Ponte' : 'saída: Ponte → operadora'}
              </Badge>
            </Group>
            {data.motivoTexto ? (
              <Alert color="orange" variant="light" mb="md" title="Por que a Ponte recusou" data-testid="motivo-detalhe">
                {data.motivoTexto} A resposta à operadora foi a genérica do contrato (sem dizer o motivo); só o painel mostra o porquê.
              </Alert>
            ) : null}
            <SimpleGrid cols={3} spacing="md" verticalSpacing="sm">
              <Item label="Quando">
                <Text size="sm">{formatDateTime(data.criadoEm)}</Text>
              </Item>
              <Item label="Latência">
                <Text size="sm">{formatMs(data.latenciaMs)}</Text>
              </Item>
              <Item label="Instância">
                <Text size="sm">{data.instancia === 2 ? 'Produção' : data.instancia === 1 ? 'Sandbox' : 'não informada'}</Text>
              </Item>
              <Item label="Usuário (mascarado)">
                <Text size="sm">{data.chaveUsuario ?? '—'}</Text>
              </Item>
              {data.tokenId ? (
                <Item label="Token do cliente (id)">
                  <CopyField value={data.tokenId} label="Copiar o id do token" />
                </Item>
              ) : null}
              <Item label="Correlation id">{data.correlationId ? <CopyField value={data.correlationId} label="Copiar correlation id" /> : <Text size="sm">—</Text>}</Item>
            </SimpleGrid>
            <Item label="URL">
              <Code style={{ wordBreak: 'break-all' }}>POST {data.url}</Code>
            </Item>
          </Paper>

          {data.violacoes.length > 0 ? (
            <Paper withBorder radius="md" p="md" style={{ borderColor: 'var(--mantine-color-red-3)' }}>
              <Title order={5} c={corDeTexto('red')} mb="sm">
                {data.violacoes.length} {data.violacoes.length === 1 ? 'violação' : 'violações'} do contrato
              </Title>
              <ViolacoesTable violacoes={data.violacoes} />
            </Paper>
          ) : null}

          <Paper withBorder radius="md" p="md">
            <Title order={5} mb="sm">
              Requisição
            </Title>
            <Table withTableBorder fz="xs" verticalSpacing={4} mb="sm" aria-label="Headers enviados">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Header</Table.Th>
                  <Table.Th>Valor (mascarado)</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {Object.entries(data.requisicao.headers).map(([nome, valor]) => (
                  <Table.Tr key={nome}>
                    <Table.Td ff="monospace">{nome}</Table.Td>
                    <Table.Td ff="monospace">{valor}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <JsonView text={data.requisicao.corpo} label="Corpo enviado" maxHeight={260} />
          </Paper>

          <Paper withBorder radius="md" p="md">
            <Title order={5} mb="sm">
              Resposta
            </Title>
            <Text size="sm" mb="sm">
              <Badge color={statusColor(data.resposta.status)} variant="light" mr={6}>
                {data.resposta.status ?? '—'}
              </Badge>
              {data.resposta.statusText ?? ''}
            </Text>
            <JsonView text={data.resposta.corpo} marks={data.violacoes} label="Corpo recebido" />
            <LegendaMascaras />
          </Paper>
        </Stack>
      ) : null}
    </Drawer>
  );
}

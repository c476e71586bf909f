import { useWorkspace } from '../shell/workspace.tsx';
import { Anchor, Badge, Box, Button, Group, Paper, Progress, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconFileSearch } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { PainelInicial } from '../../api/types.ts';
import { formatMs } from '../../lib/format.ts';
import { metodoLabels } from '../../lib/labels.ts';
import { corDaOperacao, formatInteiro, formatTaxa } from './format.ts';
import { periodoInteiro, queryDosLogs } from './logs-link.ts';

function taxaColor(taxa: number): string {
  if (taxa >= 0.95) return 'teal';
  if (taxa >= 0.8) return 'yellow';
  return 'red';
}

/** The period's numbers per operação, every operação listed even without calls. */
export function TabelaOperacoes({ dados }: { dados: PainelInicial }) {
  const { link } = useWorkspace();
  return (
    <Paper withBorder radius="md" component="section" aria-label="Por operação">
      <Group justify="space-between" align="flex-start" p="md" pb="xs" wrap="nowrap">
        <div>
          <Title order={4} fz="md">
            Por operação
          </Title>
          <Text size="xs" c="dimmed">
            Totais do período (cada operação abre as suas chamadas na central de logs). Falhas são as chamadas que não terminaram em sucesso (recusa da operadora, violação do contrato, falha de comunicação ou bloqueio).
          </Text>
        </div>
        <Button component={Link} to={link('logs')} variant="default" size="xs" leftSection={<IconFileSearch size={14} />} style={{ flexShrink: 0 }}>
          Abrir a central de logs
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Operação</Table.Th>
              <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>Chamadas</Table.Th>
              <Table.Th w={190}>Taxa de sucesso</Table.Th>
              <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>p50</Table.Th>
              <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>p95</Table.Th>
              <Table.Th ta="right">Violações de contrato</Table.Th>
              <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>Falhas</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {dados.totais.map((t) => (
              <Table.Tr key={t.operacao}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Box w={10} h={10} style={{ borderRadius: 3, flexShrink: 0, background: `var(--mantine-color-${corDaOperacao[t.operacao].replace('.', '-')})` }} aria-hidden />
                    <Anchor
                      component={Link}
                      to={`${link('logs')}?${queryDosLogs({ ...periodoInteiro(dados), operacao: t.operacao })}`}
                      size="sm"
                      fw={500}
                      c="inherit"
                      underline="hover"
                      aria-label={`${metodoLabels[t.operacao]}: ver as chamadas do período na central de logs`}
                    >
                      {metodoLabels[t.operacao]}
                    </Anchor>
                  </Group>
                </Table.Td>
                <Table.Td ta="right" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {formatInteiro(t.chamadas)}
                </Table.Td>
                <Table.Td>
                  {t.taxaSucesso === null ? (
                    <Text size="sm" c="dimmed">
                      sem chamadas
                    </Text>
                  ) : (
                    <Group gap="xs" wrap="nowrap">
                      <Progress value={t.taxaSucesso * 100} color={taxaColor(t.taxaSucesso)} size="sm" w={90} aria-label={`Taxa de sucesso de ${metodoLabels[t.operacao]}`} />
                      <Text size="sm" ff="monospace">
                        {formatTaxa(t.taxaSucesso)}
                      </Text>
                    </Group>
                  )}
                </Table.Td>
                <Table.Td ta="right" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {formatMs(t.p50Ms)}
                </Table.Td>
                <Table.Td ta="right" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                  {formatMs(t.p95Ms)}
                </Table.Td>
                <Table.Td ta="right">
                  {t.violacoesContrato > 0 ? (
                    <Badge color="red" variant="light">
                      {formatInteiro(t.violacoesContrato)}
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed" ff="monospace">
                      0
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  {t.falhas > 0 ? (
                    <Tooltip
                      label={`Recusadas: ${t.porResultado.recusado_pela_operadora} · Violação: ${t.porResultado.violacao_contrato} · Comunicação: ${t.porResultado.falha_comunicacao} · Bloqueadas: ${t.porResultado.bloqueado}`}
                    >
                      <Badge color="orange" variant="light" tabIndex={0}>
                        {formatInteiro(t.falhas)}
                      </Badge>
                    </Tooltip>
                  ) : (
                    <Text size="sm" c="dimmed" ff="monospace">
                      0
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

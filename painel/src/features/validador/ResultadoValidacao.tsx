import { Badge, Code, Group, Paper, Stack, Table, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { RelatorioValidacao } from '../../api/types.ts';
import { JsonView } from '../../components/JsonView.tsx';
import { formatMs } from '../../lib/format.ts';
import { criterioColors, metodoLabels, resultadoColors, resultadoLabels, statusColor } from '../../lib/labels.ts';

type ViolacaoLinha = { caminho: string; criterio: string; esperado: string; recebido: string; mensagem: string };

/**
 * The problem in the validator's sentence, without what the other columns already say: the
 * message reads "<caminho>: <problema> — <critério>, esperado …; recebido …".
 */
function problema(v: ViolacaoLinha): string {
  const semCaminho = v.mensagem.startsWith(`${v.caminho}: `) ? v.mensagem.slice(v.caminho.length + 2) : v.mensagem;
  return semCaminho.split(' — ')[0] ?? semCaminho;
}

export function ViolacoesTable({ violacoes }: { violacoes: ViolacaoLinha[] }) {
  return (
    <Table withTableBorder fz="xs" verticalSpacing="xs" horizontalSpacing="xs" aria-label="Violações do contrato" style={{ tableLayout: 'fixed', overflowWrap: 'anywhere' }}>
      <Table.Thead>
        <Table.Tr style={{ whiteSpace: 'nowrap' }}>
          <Table.Th w="25%">Caminho</Table.Th>
          <Table.Th w={74}>Critério</Table.Th>
          <Table.Th w="20%">Esperado</Table.Th>
          <Table.Th w="18%">Recebido</Table.Th>
          <Table.Th>Mensagem</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {violacoes.map((v, index) => (
          <Table.Tr key={index}>
            <Table.Td>
              <Code fz="xs">{v.caminho}</Code>
            </Table.Td>
            <Table.Td>
              <Badge size="sm" color={criterioColors[v.criterio] ?? 'gray'} variant={v.criterio === 'M' ? 'filled' : 'light'}>
                {v.criterio}
              </Badge>
            </Table.Td>
            <Table.Td>{v.esperado}</Table.Td>
            <Table.Td>{v.recebido}</Table.Td>
            <Table.Td title={v.mensagem}>{problema(v)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** How to read a masked body: the same masks in the validador and in the central de logs (platform/redaction.ts). */
export function LegendaMascaras({ complemento }: { complemento?: string }) {
  return (
    <Text size="xs" c="dimmed" data-testid="legenda-mascaras">
      Dados pessoais e tokens mascarados: <Code fz="xs">*** (19)</Code> era um texto de 19 caracteres, <Code fz="xs">***.***.***-**</Code> mostra o
      formato dos dígitos, <Code fz="xs">#</Code> é um dígito de um número; só campos técnicos do contrato (tipo, acesso, mensagem…) ficam visíveis.
      {complemento ? ` ${complemento}` : ''}
    </Text>
  );
}

/** What one validador run shows: verdict, timing, the request as sent (redacted), the answer and every violation. */
export function ResultadoValidacao({ relatorio }: { relatorio: RelatorioValidacao }) {
  const aprovado = relatorio.aprovado;
  return (
    <Stack gap="md" data-testid="resultado-validador">
      <Paper withBorder radius="md" p="lg" style={{ borderColor: `var(--mantine-color-${aprovado ? 'teal' : 'red'}-4)` }}>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Group gap="md" wrap="nowrap" align="flex-start">
            <ThemeIcon size={44} radius="xl" color={aprovado ? 'teal' : 'red'} variant="light">
              {aprovado ? <IconCircleCheck size={28} /> : <IconCircleX size={28} />}
            </ThemeIcon>
            <Stack gap={4}>
              <Group gap="xs">
                <Title order={3} c={aprovado ? 'teal.8' : 'red.8'} data-testid="veredito">
                  {aprovado ? 'Aprovado' : 'Reprovado'}
                </Title>
                <Badge color={resultadoColors[relatorio.resultado]} variant="light">
                  {resultadoLabels[relatorio.resultado] ?? relatorio.resultado}
                </Badge>
              </Group>
              <Text size="sm">{relatorio.mensagem}</Text>
              <Text size="xs" c="dimmed">
                {metodoLabels[relatorio.metodo]} · {relatorio.violacoes.length === 0 ? 'nenhuma violação' : `${relatorio.violacoes.length} ${relatorio.violacoes.length === 1 ? 'violação' : 'violações'}`}
              </Text>
            </Stack>
          </Group>
          <Stack gap={4} align="flex-end">
            {relatorio.resposta ? (
              <Badge size="lg" color={statusColor(relatorio.resposta.status)} variant="light">
                HTTP {relatorio.resposta.status}
              </Badge>
            ) : (
              <Badge size="lg" color="gray" variant="light">
                sem resposta
              </Badge>
            )}
            <Text size="sm" c="dimmed">
              {formatMs(relatorio.latenciaMs)}
            </Text>
          </Stack>
        </Group>
      </Paper>

      {relatorio.violacoes.length > 0 ? (
        <Paper withBorder radius="md" p="md">
          <Title order={5} mb="sm" c="red.8">
            Violações do contrato
          </Title>
          <ViolacoesTable violacoes={relatorio.violacoes} />
        </Paper>
      ) : null}

      <Paper withBorder radius="md" p="md">
        <Title order={5} mb="sm">
          Requisição
        </Title>
        <Stack gap="sm">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" fw={500} w={80}>
              URL
            </Text>
            {relatorio.requisicao.url ? <Code style={{ wordBreak: 'break-all' }}>POST {relatorio.requisicao.url}</Code> : <Text size="sm" c="dimmed">não chamada</Text>}
          </Group>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" fw={500} w={80}>
              Headers
            </Text>
            <Group gap={4}>
              {relatorio.requisicao.headers.length === 0 ? (
                <Text size="sm" c="dimmed">
                  nenhum
                </Text>
              ) : (
                relatorio.requisicao.headers.map((nome) => (
                  <Badge key={nome} variant="outline" color="gray" tt="none" ff="monospace">
                    {nome}
                  </Badge>
                ))
              )}
            </Group>
          </Group>
          <Text size="xs" c="dimmed">
            {relatorio.mascarado
              ? 'Só os nomes dos headers são exibidos; senhas e dados pessoais do corpo aparecem mascarados.'
              : 'Só os nomes dos headers são exibidos; senhas aparecem mascaradas.'}
          </Text>
          <JsonView value={relatorio.requisicao.corpo} label="Corpo enviado" maxHeight={240} />
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Title order={5} mb="sm">
          Resposta
        </Title>
        {relatorio.resposta ? (
          <Stack gap="sm">
            <Text size="sm">
              <Badge color={statusColor(relatorio.resposta.status)} variant="light" mr={6}>
                {relatorio.resposta.status}
              </Badge>
              {relatorio.resposta.statusText}
            </Text>
            {relatorio.mascarado ? <LegendaMascaras complemento="Só administradores do cliente veem a resposta completa." /> : null}
            <JsonView text={relatorio.resposta.corpo} marks={relatorio.violacoes} label="Corpo recebido" />
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            A operadora não respondeu. {relatorio.mensagem}
          </Text>
        )}
      </Paper>
    </Stack>
  );
}

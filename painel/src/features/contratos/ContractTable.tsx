import { Badge, Box, Code, Group, Paper, ScrollArea, Skeleton, Stack, Table, Tabs, Text, Title, Tooltip } from '@mantine/core';
import type { CampoContrato, Contrato, MetodoOperadora } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { criterioColors } from '../../lib/labels.ts';
import { corDeTexto } from '../../theme.ts';
import { useContratos } from './api.ts';

type Row = { caminho: string; nome: string; depth: number; campo: CampoContrato };

/** The declared tree as table rows; an array's item object contributes its fields under `lista[]`. */
function rowsOf(campos: CampoContrato[], parent: string, depth: number, out: Row[] = []): Row[] {
  for (const campo of campos) {
    const caminho = parent ? `${parent}.${campo.nome}` : campo.nome;
    out.push({ caminho, nome: campo.nome, depth, campo });
    pushChildren(campo, caminho, depth + 1, out);
  }
  return out;
}

function pushChildren(campo: CampoContrato, caminho: string, depth: number, out: Row[]): void {
  if (campo.campos.length > 0) rowsOf(campo.campos, caminho, depth, out);
  if (campo.itens) {
    const item = `${caminho}[]`;
    if (campo.itens.campos.length > 0 || campo.itens.itens) pushChildren(campo.itens, item, depth, out);
    else out.push({ caminho: item, nome: '[]', depth, campo: campo.itens });
  }
}

function CriterioBadge({ campo }: { campo: CampoContrato }) {
  return (
    <Tooltip label={campo.condicao ? `${campo.criterioRotulo}: ${campo.condicao}` : campo.criterioRotulo}>
      <Badge size="sm" variant={campo.criterio === 'M' ? 'filled' : 'light'} color={criterioColors[campo.criterio]} w={38} style={{ cursor: 'help' }}>
        {campo.criterio}
      </Badge>
    </Tooltip>
  );
}

function FieldsTable({ rows, highlight, label }: { rows: Row[]; highlight: Set<string>; label: string }) {
  if (rows.length === 0)
    return (
      <Text size="sm" c="dimmed" p="sm">
        Nenhum campo.
      </Text>
    );
  return (
    <Table fz="xs" verticalSpacing={6} horizontalSpacing="xs" aria-label={label} style={{ tableLayout: 'fixed' }}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Campo</Table.Th>
          <Table.Th w={56}>Crit.</Table.Th>
          <Table.Th w="32%">Tipo esperado</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.caminho} bg={highlight.has(row.caminho) ? 'var(--mantine-color-red-light)' : undefined}>
            <Table.Td>
              <Box pl={row.depth * 12}>
                <Text ff="monospace" fz="xs" fw={600} c={highlight.has(row.caminho) ? corDeTexto('red', 2) : undefined} title={row.caminho} style={{ overflowWrap: 'anywhere' }}>
                  {row.depth > 0 ? <Text span c="gray.5" ff="monospace" fz="xs" aria-hidden>└ </Text> : null}
                  {row.nome}
                </Text>
                <Text fz="xs" c="dimmed" lh={1.35}>
                  {row.campo.descricao}
                </Text>
                {row.campo.condicao ? (
                  <Text fz="xs" c={corDeTexto('orange', 2)} lh={1.35}>
                    {row.campo.condicao}
                  </Text>
                ) : null}
              </Box>
            </Table.Td>
            <Table.Td valign="top">
              <CriterioBadge campo={row.campo} />
            </Table.Td>
            <Table.Td valign="top">
              <Text fz="xs" style={{ overflowWrap: 'anywhere' }}>
                {row.campo.esperado}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Violation paths (`contatos[2].tipo`) in the table's notation (`contatos[].tipo`). */
const normalize = (caminho: string) => caminho.replace(/\[\d+\]/g, '[]');

/** One method's contract beside the validador: what Ponte sends, and what the operator must answer. */
export function ContractPanel({ metodo, violacoes = [] }: { metodo: MetodoOperadora; violacoes?: string[] }) {
  const contratos = useContratos();
  const highlight = new Set(violacoes.map(normalize));

  let content;
  if (contratos.isPending) content = <Stack p="md" gap="sm">{Array.from({ length: 6 }, (_, i) => <Skeleton key={i} height={28} />)}</Stack>;
  else if (contratos.isError) content = <ErrorAlert error={contratos.error} title="Não foi possível carregar o contrato" />;
  else {
    const contrato = contratos.data.find((c) => c.metodo === metodo) as Contrato;
    const request = [...rowsOf(contrato.requisicao.camposFormulario, '', 0), ...rowsOf(contrato.requisicao.camposFixos, '', 0)];
    content = (
      <>
        <Group gap="xs" px="md" pt="md">
          <Title order={5}>Contrato — {contrato.nome}</Title>
          <Code>{contrato.sufixo}</Code>
        </Group>
        <Text size="xs" c="dimmed" px="md" mt={4}>
          M = mandatório, C = condicional, OP = opcional. Nomes exatos, com maiúsculas e minúsculas.
        </Text>
        <Tabs defaultValue="resposta" mt="sm" keepMounted={false}>
          <Tabs.List px="sm">
            <Tabs.Tab value="resposta">Resposta 2xx</Tabs.Tab>
            <Tabs.Tab value="requisicao">Requisição</Tabs.Tab>
            <Tabs.Tab value="falha">Falha</Tabs.Tab>
          </Tabs.List>
          <ScrollArea.Autosize mah="calc(100vh - 300px)" type="auto" viewportProps={{ tabIndex: 0, 'aria-label': 'Contrato do método' }}>
            <Tabs.Panel value="resposta">
              <FieldsTable rows={rowsOf(contrato.resposta.campos, '', 0)} highlight={highlight} label={`Resposta de sucesso de ${contrato.nome}`} />
            </Tabs.Panel>
            <Tabs.Panel value="requisicao">
              <Text size="xs" c="dimmed" px="sm" pt="xs">
                O que a Ponte envia. Os campos do formulário podem mudar por instância (Formulários); os fixos a Ponte sempre acrescenta.
              </Text>
              <FieldsTable rows={request} highlight={new Set()} label={`Requisição de ${contrato.nome}`} />
            </Tabs.Panel>
            <Tabs.Panel value="falha">
              <Text size="xs" c="dimmed" px="sm" pt="xs">
                Status diferente de 2xx; a mensagem é exibida ao usuário.
              </Text>
              <FieldsTable rows={rowsOf(contrato.falha.campos, '', 0)} highlight={new Set()} label={`Resposta de falha de ${contrato.nome}`} />
            </Tabs.Panel>
          </ScrollArea.Autosize>
        </Tabs>
      </>
    );
  }
  return (
    <Paper withBorder radius="md" pb="xs" data-testid="contrato">
      {content}
    </Paper>
  );
}

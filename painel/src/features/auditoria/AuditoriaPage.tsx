import { ActionIcon, Badge, Button, Center, Code, Group, Paper, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconHistory } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import type { EventoAuditoria } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useCliente } from '../shell/workspace.tsx';
import { useAuditoria } from './api.ts';
import { diffRows } from './diff.ts';

const actionLabels: Record<string, string> = {
  'integracao.criada': 'Integração criada',
  'integracao.alterada': 'Integração alterada',
  'grupo.criado': 'Grupo criado',
  'grupo.alterado': 'Grupo alterado',
  'grupo.removido': 'Grupo removido',
  'token.criado': 'Token criado',
  'token.revogado': 'Token revogado',
  'origem.criada': 'Origem adicionada',
  'origem.removida': 'Origem removida',
  'formulario.criado': 'Formulário criado',
  'formulario.alterado': 'Formulário alterado',
  'formulario.removido': 'Formulário removido',
  'funcionalidade.criada': 'Funcionalidade criada',
  'funcionalidade.alterada': 'Funcionalidade alterada',
  'funcionalidade.removida': 'Funcionalidade removida',
  'integracao.copiada_da_sandbox': 'Integração copiada da Sandbox',
  'cliente.retencao_logs_alterada': 'Retenção dos logs alterada',
  'usuario.criado': 'Usuário criado',
  'usuario.incluido': 'Usuário incluído no cliente',
  'usuario.papel_alterado': 'Papel alterado',
  'usuario.removido': 'Usuário removido do cliente',
  'usuario.desativado': 'Conta desativada',
  'usuario.reativado': 'Conta reativada',
  'usuario.convidado': 'Convite enviado',
  'usuario.convite_reenviado': 'Convite reenviado',
  'usuario.convite_cancelado': 'Convite cancelado',
  'usuario.convite_aceito': 'Convite aceito',
};

const targetLabels: Record<string, string> = {
  integracao: 'Integração',
  grupo: 'Grupo de autorização',
  token: 'Token do cliente',
  origem: 'Origem',
  formulario: 'Formulário',
  funcionalidade: 'Funcionalidade',
  usuario: 'Usuário',
  convite: 'Convite',
  cliente: 'Cliente',
};

function actionColor(acao: string): string {
  if (/removid|revogad|cancelad/.test(acao)) return 'red';
  if (/criad/.test(acao)) return 'teal';
  return 'indigo';
}

/** Before and after, path by path; secrets arrive already masked by the server. */
function Diff({ evento }: { evento: EventoAuditoria }) {
  const [todos, setTodos] = useState(false);
  const rows = diffRows(evento.antes, evento.depois);
  const shown = todos ? rows : rows.filter((row) => row.mudou);
  return (
    <Paper withBorder radius="sm" p="sm" bg="white">
      <Group justify="space-between" mb="xs">
        <Text size="sm" fw={600}>
          {rows.filter((r) => r.mudou).length} {rows.filter((r) => r.mudou).length === 1 ? 'campo alterado' : 'campos alterados'}
        </Text>
        <Switch size="xs" label="Mostrar campos sem alteração" checked={todos} onChange={(event) => setTodos(event.currentTarget.checked)} />
      </Group>
      {shown.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nenhuma diferença registrada.
        </Text>
      ) : (
        <Table fz="xs" withColumnBorders withTableBorder verticalSpacing={6} aria-label="Antes e depois" style={{ tableLayout: 'fixed', overflowWrap: 'anywhere' }}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="28%">Campo</Table.Th>
              <Table.Th w="36%">Antes</Table.Th>
              <Table.Th w="36%">Depois</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((row) => (
              <Table.Tr key={row.caminho}>
                <Table.Td ff="monospace">{row.caminho}</Table.Td>
                <Table.Td ff="monospace" bg={row.mudou && row.antes !== undefined ? 'red.0' : undefined} c={row.antes === undefined ? 'dimmed' : undefined}>
                  {row.antes ?? '—'}
                </Table.Td>
                <Table.Td ff="monospace" bg={row.mudou && row.depois !== undefined ? 'teal.0' : undefined} c={row.depois === undefined ? 'dimmed' : undefined}>
                  {row.depois ?? '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

export function AuditoriaPage() {
  const { clienteId } = useCliente();
  const auditoria = useAuditoria(clienteId);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const eventos = auditoria.data?.pages.flat() ?? [];
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      <PageHeader title="Auditoria" description="Quem alterou o quê na configuração deste cliente, com o antes e o depois. Senhas e valores secretos aparecem mascarados." />
      {auditoria.isPending ? (
        <TableSkeleton rows={6} />
      ) : auditoria.isError ? (
        <ErrorAlert error={auditoria.error} title="Não foi possível carregar a auditoria" />
      ) : eventos.length === 0 ? (
        <EmptyState icon={<IconHistory size={28} />} title="Nada registrado ainda" description="Cada alteração de integração, grupos, tokens, origens e formulários aparece aqui, com autor e horário." />
      ) : (
        <Paper withBorder radius="md">
          <Table aria-label="Eventos de auditoria">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={44}>
                  <span className="sr-only">Detalhes</span>
                </Table.Th>
                <Table.Th>Quando</Table.Th>
                <Table.Th>Quem</Table.Th>
                <Table.Th>Ação</Table.Th>
                <Table.Th>Alvo</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {eventos.map((evento) => {
                const expanded = open.has(evento.id);
                return (
                  <Fragment key={evento.id}>
                    <Table.Tr className="row-clickable" onClick={() => toggle(evento.id)}>
                      <Table.Td>
                        <ActionIcon
                          variant="subtle"
                          color="gray"
                          aria-expanded={expanded}
                          aria-label={expanded ? 'Esconder antes e depois' : 'Ver antes e depois'}
                          onClick={(event) => {
                            event.stopPropagation();
                            toggle(evento.id);
                          }}
                        >
                          {expanded ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                        </ActionIcon>
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label={formatRelative(evento.criadoEm)}>
                          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(evento.criadoEm)}</Text>
                        </Tooltip>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{evento.ator}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={actionColor(evento.acao)}>
                          {actionLabels[evento.acao] ?? evento.acao}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{targetLabels[evento.alvo.tipo] ?? evento.alvo.tipo}</Text>
                        <Code fz="xs">{evento.alvo.id}</Code>
                      </Table.Td>
                    </Table.Tr>
                    {expanded ? (
                      <Table.Tr bg="gray.0">
                        <Table.Td colSpan={5} p="md">
                          <Diff evento={evento} />
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
          {auditoria.hasNextPage ? (
            <Center p="md">
              <Button variant="default" loading={auditoria.isFetchingNextPage} onClick={() => void auditoria.fetchNextPage()}>
                Carregar eventos anteriores
              </Button>
            </Center>
          ) : null}
        </Paper>
      )}
    </>
  );
}

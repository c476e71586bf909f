import { ActionIcon, Badge, Button, Center, Code, Group, Paper, Select, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconDownload, IconFilterOff, IconHistory } from '@tabler/icons-react';
import { Fragment, useMemo, useState } from 'react';
import type { EventoAuditoria } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useQueryState } from '../../lib/use-query-state.ts';
import { useCliente } from '../shell/workspace.tsx';
import { exportarAuditoriaUrl, useAtoresAuditoria, useAuditoria, type FiltrosAuditoria } from './api.ts';
import { diffRows } from './diff.ts';
import { acaoFamilias, comNomes, rotuloDoCaminho } from './rotulos.ts';

const periodos: { value: string; label: string; ms?: number }[] = [
  { value: '24h', label: 'Últimas 24 horas', ms: 86_400_000 },
  { value: '7d', label: 'Últimos 7 dias', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Últimos 30 dias', ms: 30 * 86_400_000 },
  { value: '90d', label: 'Últimos 90 dias', ms: 90 * 86_400_000 },
  { value: 'todos', label: 'Todo o período' },
];

/** The filters, kept in the address (`?acao=grupo.&instancia=2`) so a link shows the same list. */
const filtrosVazios = { acao: '', quem: '', periodo: 'todos', instancia: '' };

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
  'integracao.elegibilidade': 'Elegibilidade alterada',
  'envio-mensagens.alterado': 'Envio de mensagens alterado',
  'envio-mensagens.teste': 'Mensagem de teste enviada',
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
  'envio-mensagens': 'Envio de mensagens',
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
    <Paper withBorder radius="sm" p="sm">
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
                <Table.Td title={row.caminho}>{rotuloDoCaminho(row.caminho)}</Table.Td>
                <Table.Td ff="monospace" bg={row.mudou && row.antes !== undefined ? 'var(--mantine-color-red-light)' : undefined} c={row.antes === undefined ? 'dimmed' : undefined}>
                  {comNomes(row.antes, evento.nomes) ?? '—'}
                </Table.Td>
                <Table.Td ff="monospace" bg={row.mudou && row.depois !== undefined ? 'var(--mantine-color-teal-light)' : undefined} c={row.depois === undefined ? 'dimmed' : undefined}>
                  {comNomes(row.depois, evento.nomes) ?? '—'}
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
  const [filtros, setFiltros] = useQueryState(filtrosVazios);
  const [agora] = useState(() => Date.now());
  const atores = useAtoresAuditoria(clienteId);
  const filtrosApi = useMemo<FiltrosAuditoria>(() => {
    const periodo = periodos.find((p) => p.value === filtros.periodo);
    return {
      ...(filtros.acao ? { acao: filtros.acao } : {}),
      ...(filtros.quem ? { atorId: filtros.quem } : {}),
      ...(periodo?.ms ? { de: agora - periodo.ms } : {}),
      ...(filtros.instancia !== '' ? { instancia: Number(filtros.instancia) } : {}),
    };
  }, [filtros, agora]);
  const filtrado = Object.keys(filtrosApi).length > 0;
  const auditoria = useAuditoria(clienteId, filtrosApi);
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
      <PageHeader
        title="Auditoria"
        description="Quem alterou o quê na configuração deste cliente, em qual instância, com o antes e o depois. Senhas e valores secretos aparecem mascarados."
        actions={
          <Button component="a" href={exportarAuditoriaUrl(clienteId, filtrosApi)} download variant="default" leftSection={<IconDownload size={16} />}>
            Exportar CSV
          </Button>
        }
      />
      <Paper withBorder radius="md" p="md" mb="md" component="section" aria-label="Filtros">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label="Ação"
            placeholder="Todas"
            w={230}
            data={acaoFamilias}
            value={filtros.acao || null}
            onChange={(v) => setFiltros({ acao: v ?? '' })}
            clearable
          />
          <Select
            label="Quem"
            placeholder="Todos"
            w={240}
            searchable
            data={(atores.data ?? []).map((a) => ({ value: a.atorId ?? 'sistema', label: a.atorId ? a.ator : `${a.ator} (sistema)` }))}
            value={filtros.quem || null}
            onChange={(v) => setFiltros({ quem: v ?? '' })}
            clearable
            nothingFoundMessage="Ninguém com esse nome"
          />
          <Select label="Período" w={190} data={periodos.map(({ value, label }) => ({ value, label }))} value={filtros.periodo} onChange={(v) => v && setFiltros({ periodo: v })} allowDeselect={false} />
          <Select
            label="Instância"
            placeholder="Todas"
            w={200}
            data={[
              { value: '1', label: 'Sandbox' },
              { value: '2', label: 'Produção' },
              { value: '0', label: 'Do cliente todo (sem instância)' },
            ]}
            value={filtros.instancia || null}
            onChange={(v) => setFiltros({ instancia: v ?? '' })}
            clearable
          />
          {filtrado ? (
            <Tooltip label="Limpar filtros">
              <ActionIcon variant="subtle" color="gray" size="lg" mb={2} onClick={() => setFiltros({ acao: '', quem: '', periodo: '', instancia: '' })} aria-label="Limpar filtros">
                <IconFilterOff size={18} />
              </ActionIcon>
            </Tooltip>
          ) : null}
        </Group>
      </Paper>
      {auditoria.isPending ? (
        <TableSkeleton rows={6} />
      ) : auditoria.isError ? (
        <ErrorAlert error={auditoria.error} title="Não foi possível carregar a auditoria" />
      ) : eventos.length === 0 ? (
        filtrado ? (
          <EmptyState icon={<IconHistory size={28} />} title="Nenhum evento com estes filtros" description="Amplie o período ou limpe os filtros para ver mais eventos." />
        ) : (
          <EmptyState icon={<IconHistory size={28} />} title="Nada registrado ainda" description="Cada alteração de integração, grupos, tokens, origens e formulários aparece aqui, com autor, instância e horário." />
        )
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={860} type="native">
          <Table horizontalSpacing="sm" aria-label="Eventos de auditoria">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={44}>
                  <span className="sr-only">Detalhes</span>
                </Table.Th>
                <Table.Th>Quando</Table.Th>
                <Table.Th>Quem</Table.Th>
                <Table.Th>Instância</Table.Th>
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
                        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{evento.ator}</Text>
                      </Table.Td>
                      <Table.Td>
                        {evento.instancia === 2 ? (
                          <Badge color="orange" variant="light">
                            Produção
                          </Badge>
                        ) : evento.instancia === 1 ? (
                          <Badge color="blue" variant="light">
                            Sandbox
                          </Badge>
                        ) : (
                          <Text size="xs" c="dimmed">
                            cliente todo
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={actionColor(evento.acao)}>
                          {actionLabels[evento.acao] ?? evento.acao}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={2}>
                          <Text size="sm">
                            {targetLabels[evento.alvo.tipo] ?? evento.alvo.tipo}
                            {evento.alvo.nome ? (
                              <Text span fw={600}>
                                {' '}
                                {evento.alvo.nome}
                              </Text>
                            ) : null}
                          </Text>
                          <Code fz="xs" c="dimmed" w="fit-content" style={{ overflowWrap: 'anywhere' }}>
                            {evento.alvo.id}
                          </Code>
                        </Stack>
                      </Table.Td>
                    </Table.Tr>
                    {expanded ? (
                      <Table.Tr className="painel-superficie">
                        <Table.Td colSpan={6} p="md">
                          <Diff evento={evento} />
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
          </Table.ScrollContainer>
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

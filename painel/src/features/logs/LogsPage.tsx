import { ActionIcon, Badge, Button, Group, NumberInput, Pagination, Paper, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileSearch, IconFilterOff, IconRefresh } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import type { MetodoOperadora } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime, formatMs } from '../../lib/format.ts';
import { metodoLabels, metodos, resultadoColors, resultadoLabels, resultadosDeLog, statusColor } from '../../lib/labels.ts';
import { useCliente } from '../shell/workspace.tsx';
import { useLogs, type FiltrosLog } from './api.ts';
import { LogDrawer } from './LogDrawer.tsx';

const POR_PAGINA = 20;
const periodos: { value: string; label: string; ms?: number }[] = [
  { value: '1h', label: 'Última hora', ms: 3_600_000 },
  { value: '24h', label: 'Últimas 24 horas', ms: 86_400_000 },
  { value: '7d', label: 'Últimos 7 dias', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Últimos 30 dias', ms: 30 * 86_400_000 },
  { value: 'todos', label: 'Todo o período' },
  { value: 'personalizado', label: 'Personalizado…' },
];

type Filtros = { periodo: string; de: string; ate: string; operacao: string | null; status: number | string; resultado: string | null; chaveUsuario: string };
const vazios: Filtros = { periodo: '24h', de: '', ate: '', operacao: null, status: '', resultado: null, chaveUsuario: '' };

/** `datetime-local` text (browser time zone) → epoch ms. */
const localToMs = (text: string) => (text ? new Date(text).getTime() : undefined);

export function LogsPage() {
  const { clienteId, instancia } = useCliente();
  const [filtros, setFiltros] = useState<Filtros>(vazios);
  const [pagina, setPagina] = useState(1);
  const [agora, setAgora] = useState(() => Date.now());
  const [aberto, setAberto] = useState<string | null>(null);
  const [chave] = useDebouncedValue(filtros.chaveUsuario.trim(), 400);

  const set = <K extends keyof Filtros>(key: K, value: Filtros[K]) => {
    setFiltros((current) => ({ ...current, [key]: value }));
    setPagina(1);
  };

  useEffect(() => setPagina(1), [instancia, clienteId]);

  const query = useMemo<FiltrosLog>(() => {
    const periodo = periodos.find((p) => p.value === filtros.periodo);
    const de = filtros.periodo === 'personalizado' ? localToMs(filtros.de) : periodo?.ms ? agora - periodo.ms : undefined;
    const ate = filtros.periodo === 'personalizado' ? localToMs(filtros.ate) : undefined;
    return {
      ...(de !== undefined ? { de } : {}),
      ...(ate !== undefined ? { ate } : {}),
      ...(filtros.operacao ? { operacao: filtros.operacao } : {}),
      ...(filtros.status !== '' ? { status: Number(filtros.status) } : {}),
      ...(filtros.resultado ? { resultado: filtros.resultado } : {}),
      ...(chave ? { chaveUsuario: chave } : {}),
      pagina,
      porPagina: POR_PAGINA,
    };
  }, [filtros, chave, pagina, agora]);

  const logs = useLogs(clienteId, instancia, query);
  const total = logs.data?.total ?? 0;
  const paginas = Math.max(1, Math.ceil(total / POR_PAGINA));
  const filtrado = JSON.stringify(filtros) !== JSON.stringify(vazios);
  const periodoInvalido = filtros.periodo === 'personalizado' && filtros.de && filtros.ate && (localToMs(filtros.de) ?? 0) > (localToMs(filtros.ate) ?? 0);

  return (
    <>
      <PageHeader
        title="Central de logs"
        badge={<InstanciaBadge />}
        description="Cada chamada da Ponte às APIs da operadora, com requisição e resposta (dados pessoais e segredos mascarados), tempo e violações do contrato."
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            loading={logs.isFetching && !logs.isPending}
            onClick={() => {
              setAgora(Date.now());
              void logs.refetch();
            }}
          >
            Atualizar
          </Button>
        }
      />
      <Stack gap="md">
        <Paper withBorder radius="md" p="md" component="section" aria-label="Filtros">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select label="Período" w={178} data={periodos.map(({ value, label }) => ({ value, label }))} value={filtros.periodo} onChange={(v) => v && set('periodo', v)} allowDeselect={false} />
            {filtros.periodo === 'personalizado' ? (
              <>
                <TextInput label="De" type="datetime-local" w={210} value={filtros.de} onChange={(e) => set('de', e.currentTarget.value)} />
                <TextInput
                  label="Até"
                  type="datetime-local"
                  w={210}
                  value={filtros.ate}
                  onChange={(e) => set('ate', e.currentTarget.value)}
                  error={periodoInvalido ? 'O fim deve ser depois do início.' : undefined}
                />
              </>
            ) : null}
            <Select
              label="Operação"
              placeholder="Todas"
              w={190}
              data={metodos.map((m) => ({ value: m, label: metodoLabels[m] }))}
              value={filtros.operacao}
              onChange={(v) => set('operacao', v)}
              clearable
            />
            <NumberInput label="Status HTTP" placeholder="Todos" w={105} min={100} max={599} hideControls value={filtros.status} onChange={(v) => set('status', v)} />
            <Select
              label="Resultado"
              placeholder="Todos"
              w={185}
              data={resultadosDeLog.map((r) => ({ value: r, label: resultadoLabels[r] ?? r }))}
              value={filtros.resultado}
              onChange={(v) => set('resultado', v)}
              clearable
            />
            <TextInput
              label="Chave do usuário"
              placeholder="CPF ou login exato"
              w={150}
              value={filtros.chaveUsuario}
              onChange={(e) => set('chaveUsuario', e.currentTarget.value)}
            />
            {filtrado ? (
              <Tooltip label="Limpar filtros">
                <ActionIcon variant="subtle" color="gray" size="lg" mb={2} onClick={() => (setFiltros(vazios), setPagina(1))} aria-label="Limpar filtros">
                  <IconFilterOff size={18} />
                </ActionIcon>
              </Tooltip>
            ) : null}
          </Group>
        </Paper>

        {logs.isPending ? (
          <TableSkeleton rows={8} />
        ) : logs.isError ? (
          <ErrorAlert error={logs.error} title="Não foi possível buscar as chamadas" />
        ) : logs.data.itens.length === 0 ? (
          <EmptyState
            icon={<IconFileSearch size={28} />}
            title={filtrado ? 'Nenhuma chamada com estes filtros' : 'Nenhuma chamada registrada nesta instância'}
            description={
              filtrado
                ? 'Amplie o período ou limpe os filtros para ver mais chamadas.'
                : 'As chamadas aparecem aqui assim que o app ou o validador falam com a operadora. Rode o validador de integração para registrar a primeira.'
            }
            action={
              filtrado ? (
                <Button variant="default" onClick={() => (setFiltros(vazios), setPagina(1))}>
                  Limpar filtros
                </Button>
              ) : undefined
            }
          />
        ) : (
          <Paper withBorder radius="md">
            <Table highlightOnHover aria-label="Chamadas à operadora">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Quando</Table.Th>
                  <Table.Th>Operação</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Resultado</Table.Th>
                  <Table.Th ta="right">Latência</Table.Th>
                  <Table.Th>Usuário</Table.Th>
                  <Table.Th ta="right">Violações</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {logs.data.itens.map((item) => (
                  <Table.Tr
                    key={item.id}
                    className="row-clickable"
                    tabIndex={0}
                    role="button"
                    aria-label={`Ver a chamada ${metodoLabels[item.operacao as MetodoOperadora] ?? item.operacao} de ${formatDateTime(item.criadoEm)}`}
                    onClick={() => setAberto(item.id)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter' || event.key === ' ') {
                        event.preventDefault();
                        setAberto(item.id);
                      }
                    }}
                  >
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(item.criadoEm)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {metodoLabels[item.operacao as MetodoOperadora] ?? item.operacao}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={item.statusText ?? ''} disabled={!item.statusText}>
                        <Badge color={statusColor(item.status)} variant="light">
                          {item.status ?? '—'}
                        </Badge>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={resultadoColors[item.resultado] ?? 'gray'} variant="dot">
                        {resultadoLabels[item.resultado] ?? item.resultado}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">{formatMs(item.latenciaMs)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {item.chaveUsuario ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      {item.quantidadeViolacoes > 0 ? (
                        <Badge color="red" variant="filled">
                          {item.quantidadeViolacoes}
                        </Badge>
                      ) : (
                        <Text size="sm" c="dimmed">
                          0
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group justify="space-between" p="md">
              <Text size="sm" c="dimmed">
                {total === 1 ? '1 chamada' : `${total.toLocaleString('pt-BR')} chamadas`} · página {pagina} de {paginas}
              </Text>
              <Pagination
                total={paginas}
                value={pagina}
                onChange={setPagina}
                size="sm"
                getControlProps={(control) => ({ 'aria-label': { first: 'Primeira página', previous: 'Página anterior', next: 'Próxima página', last: 'Última página' }[control] })}
              />
            </Group>
          </Paper>
        )}
      </Stack>
      <LogDrawer clienteId={clienteId} logId={aberto} onClose={() => setAberto(null)} />
    </>
  );
}

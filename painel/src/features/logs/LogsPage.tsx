import { ActionIcon, Badge, Button, Group, NumberInput, Pagination, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconArrowDownLeft, IconArrowUpRight, IconDownload, IconFileSearch, IconFilterOff, IconRefresh } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime, formatMs } from '../../lib/format.ts';
import { operacaoEntradaLabels, operacaoLogLabels, operacoesDeLog, resultadoLogColors, resultadoLogLabels, resultadosDeLog, rotuloOperacaoLog, statusColor } from '../../lib/labels.ts';
import { useQueryState } from '../../lib/use-query-state.ts';
import { useCliente } from '../shell/workspace.tsx';
import { exportarLogsUrl, motivoLabels, useLogs, type FiltrosLog } from './api.ts';
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

/** The filters, as kept in the address (`?periodo=7d&operacao=login&direcao=entrada`): a reload or a shared link shows the same list. */
const vazios = { periodo: '24h', de: '', ate: '', operacao: '', status: '', resultado: '', chaveUsuario: '', direcao: '', motivo: '', pagina: '1' };
type Filtros = typeof vazios;

/** epoch ms (in the address) ⇄ `datetime-local` text (the browser's time zone). */
const msToLocal = (ms: string) => {
  const n = Number(ms);
  if (!ms || !Number.isFinite(n)) return '';
  const d = new Date(n);
  const pad = (v: number) => String(v).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const localToMs = (text: string) => (text ? String(new Date(text).getTime()) : '');

const resultadosEntrada = ['sucesso', 'recusado_pela_ponte', 'falha_na_ponte'] as const;

export function LogsPage() {
  const { clienteId, instancia } = useCliente();
  const [filtros, setQuery] = useQueryState(vazios);
  const pagina = Math.max(1, Number(filtros.pagina) || 1);
  const [agora, setAgora] = useState(() => Date.now());
  const [aberto, setAberto] = useState<string | null>(null);
  const [chave] = useDebouncedValue(filtros.chaveUsuario.trim(), 400);

  const set = <K extends keyof Filtros>(key: K, value: string | null) => setQuery({ [key]: value ?? '', pagina: '1' } as Partial<Filtros>);
  const setPagina = (p: number) => setQuery({ pagina: String(p) });
  const limpar = () => setQuery(Object.fromEntries(Object.keys(vazios).map((k) => [k, ''])) as Partial<Filtros>);

  const filtrosApi = useMemo<Omit<FiltrosLog, 'pagina' | 'porPagina'>>(() => {
    const periodo = periodos.find((p) => p.value === filtros.periodo);
    const de = filtros.periodo === 'personalizado' ? (filtros.de ? Number(filtros.de) : undefined) : periodo?.ms ? agora - periodo.ms : undefined;
    const ate = filtros.periodo === 'personalizado' && filtros.ate ? Number(filtros.ate) : undefined;
    return {
      ...(de !== undefined && Number.isFinite(de) ? { de } : {}),
      ...(ate !== undefined && Number.isFinite(ate) ? { ate } : {}),
      ...(filtros.operacao ? { operacao: filtros.operacao } : {}),
      ...(filtros.status !== '' && Number.isFinite(Number(filtros.status)) ? { status: Number(filtros.status) } : {}),
      ...(filtros.resultado ? { resultado: filtros.resultado } : {}),
      ...(chave ? { chaveUsuario: chave } : {}),
      ...(filtros.direcao ? { direcao: filtros.direcao } : {}),
      ...(filtros.motivo ? { motivo: filtros.motivo } : {}),
    };
  }, [filtros, chave, agora]);
  const query = useMemo<FiltrosLog>(() => ({ ...filtrosApi, pagina, porPagina: POR_PAGINA }), [filtrosApi, pagina]);

  const logs = useLogs(clienteId, instancia, query);
  const total = logs.data?.total ?? 0;
  const paginas = Math.max(1, Math.ceil(total / POR_PAGINA));
  const filtrado = Object.entries(vazios).some(([k, v]) => k !== 'pagina' && filtros[k as keyof Filtros] !== v);
  const periodoInvalido = filtros.periodo === 'personalizado' && filtros.de && filtros.ate && Number(filtros.de) > Number(filtros.ate);
  const entrada = filtros.direcao === 'entrada';
  const operacoesFiltro =
    filtros.direcao === 'entrada'
      ? Object.entries(operacaoEntradaLabels).map(([value, label]) => ({ value, label }))
      : filtros.direcao === 'saida'
        ? operacoesDeLog.map((m) => ({ value: m, label: operacaoLogLabels[m]! }))
        : [...operacoesDeLog.map((m) => ({ value: m, label: operacaoLogLabels[m]! })), ...Object.entries(operacaoEntradaLabels).map(([value, label]) => ({ value, label }))];
  const resultadosFiltro = filtros.direcao === 'entrada' ? [...resultadosEntrada] : filtros.direcao === 'saida' ? [...resultadosDeLog] : [...resultadosDeLog, ...resultadosEntrada.slice(1)];

  return (
    <>
      <PageHeader
        title="Central de logs"
        badge={<InstanciaBadge />}
        description="Nos dois sentidos: cada chamada da Ponte às APIs da operadora (saída) e cada chamada da operadora à API /clientes da Ponte (entrada, com o motivo de cada recusa), com requisição e resposta mascaradas, tempo e violações do contrato."
        actions={
          <Group gap="xs">
          <Button
            component="a"
            href={exportarLogsUrl(clienteId, instancia, filtrosApi)}
            download
            variant="default"
            leftSection={<IconDownload size={16} />}
          >
            Exportar CSV
          </Button>
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
          </Group>
        }
      />
      <Stack gap="md">
        <Paper withBorder radius="md" p="md" component="section" aria-label="Filtros">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Stack gap={4}>
              <Text size="sm" fw={500} id="rotulo-direcao">
                Sentido
              </Text>
              <SegmentedControl
                aria-labelledby="rotulo-direcao"
                value={filtros.direcao || 'todas'}
                onChange={(v) => setQuery({ direcao: v === 'todas' ? '' : v, operacao: '', resultado: '', motivo: '', pagina: '1' })}
                data={[
                  { value: 'todas', label: 'Todas' },
                  { value: 'saida', label: 'Ponte → operadora' },
                  { value: 'entrada', label: 'Operadora → Ponte' },
                ]}
              />
            </Stack>
            <Select label="Período" w={178} data={periodos.map(({ value, label }) => ({ value, label }))} value={filtros.periodo} onChange={(v) => v && setQuery(v === 'personalizado' ? { periodo: v, de: String(agora - 86_400_000), ate: String(agora), pagina: '1' } : { periodo: v, de: '', ate: '', pagina: '1' })} allowDeselect={false} />
            {filtros.periodo === 'personalizado' ? (
              <>
                <TextInput label="De" type="datetime-local" w={210} value={msToLocal(filtros.de)} onChange={(e) => set('de', localToMs(e.currentTarget.value))} />
                <TextInput
                  label="Até"
                  type="datetime-local"
                  w={210}
                  value={msToLocal(filtros.ate)}
                  onChange={(e) => set('ate', localToMs(e.currentTarget.value))}
                  error={periodoInvalido ? 'O fim deve ser depois do início.' : undefined}
                />
              </>
            ) : null}
            <Select
              label="Operação"
              placeholder="Todas"
              w={190}
              data={operacoesFiltro}
              value={filtros.operacao || null}
              onChange={(v) => set('operacao', v)}
              clearable
            />
            <NumberInput label="Status HTTP" placeholder="Todos" w={105} min={100} max={599} hideControls value={filtros.status} onChange={(v) => set('status', v === '' ? '' : String(v))} />
            <Select
              label="Resultado"
              placeholder="Todos"
              w={185}
              data={resultadosFiltro.map((r) => ({ value: r, label: resultadoLogLabels[r] ?? r }))}
              value={filtros.resultado || null}
              onChange={(v) => set('resultado', v)}
              clearable
            />
            {filtros.direcao !== 'saida' ? (
              <Select
                label="Motivo da recusa"
                placeholder="Todos"
                w={230}
                data={Object.entries(motivoLabels).map(([value, label]) => ({ value, label }))}
                value={filtros.motivo || null}
                onChange={(v) => set('motivo', v)}
                clearable
              />
            ) : null}
            <TextInput
              label="Chave do usuário"
              placeholder="CPF ou login exato"
              w={150}
              value={filtros.chaveUsuario}
              maxLength={200}
              onChange={(e) => set('chaveUsuario', e.currentTarget.value)}
            />
            {filtrado ? (
              <Tooltip label="Limpar filtros">
                <ActionIcon variant="subtle" color="gray" size="lg" mb={2} onClick={limpar} aria-label="Limpar filtros">
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
            title={filtrado ? 'Nenhuma chamada com estes filtros' : entrada ? 'Nenhuma chamada da operadora à Ponte nesta instância' : 'Nenhuma chamada registrada nesta instância'}
            description={
              filtrado
                ? 'Amplie o período ou limpe os filtros para ver mais chamadas.'
                : 'As chamadas aparecem aqui assim que o app ou o validador falam com a operadora. Rode o validador de integração para registrar a primeira.'
            }
            action={
              filtrado ? (
                <Button variant="default" onClick={limpar}>
                  Limpar filtros
                </Button>
              ) : undefined
            }
          />
        ) : (
          <Paper withBorder radius="md">
            {/* Fits 1280 px with the sidebar; narrower, the table scrolls inside its card, not the page. */}
            <Table.ScrollContainer minWidth={900} type="native">
            <Table highlightOnHover horizontalSpacing="xs" aria-label="Chamadas à operadora">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Quando</Table.Th>
                  <Table.Th>Sentido</Table.Th>
                  <Table.Th>Operação</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Resultado</Table.Th>
                  <Table.Th ta="right">Latência</Table.Th>
                  <Table.Th>Usuário / motivo</Table.Th>
                  <Table.Th ta="right">Violações</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {logs.data.itens.map((item) => (
                  // The whole row opens the call for the mouse; the keyboard and screen readers get a
                  // real button (the operação), whose name contains its visible text (WCAG 2.5.3).
                  <Table.Tr key={item.id} className="row-clickable" onClick={() => setAberto(item.id)}>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(item.criadoEm)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {item.direcao === 'entrada' ? (
                        <Tooltip label="A operadora chamou a API /clientes da Ponte">
                          <Badge variant="light" color="violet" leftSection={<IconArrowDownLeft size={12} />}>
                            entrada
                          </Badge>
                        </Tooltip>
                      ) : (
                        <Tooltip label="A Ponte chamou a API da operadora">
                          <Badge variant="light" color="gray" leftSection={<IconArrowUpRight size={12} />}>
                            saída
                          </Badge>
                        </Tooltip>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <UnstyledButton
                        fz="sm"
                        fw={500}
                        aria-label={`Ver a chamada ${rotuloOperacaoLog(item.operacao)} de ${formatDateTime(item.criadoEm)}`}
                        onClick={(event) => {
                          event.stopPropagation();
                          setAberto(item.id);
                        }}
                      >
                        {rotuloOperacaoLog(item.operacao)}
                      </UnstyledButton>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={item.statusText ?? ''} disabled={!item.statusText}>
                        <Badge color={statusColor(item.status)} variant="light">
                          {item.status ?? '—'}
                        </Badge>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={resultadoLogColors[item.resultado] ?? 'gray'} variant="dot">
                        {resultadoLogLabels[item.resultado] ?? item.resultado}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm">{formatMs(item.latenciaMs)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {item.motivoTexto ? (
                        <Text size="sm" data-testid="motivo-recusa" style={{ maxWidth: 280 }}>
                          {item.motivoTexto}
                        </Text>
                      ) : (
                        <Text size="sm" ff="monospace">
                          {item.chaveUsuario ?? '—'}
                        </Text>
                      )}
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
            </Table.ScrollContainer>
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

import { BarChart, LineChart } from '@mantine/charts';
import { Badge, Group, Paper, Select, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState, type MouseEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import type { MetodoOperadora, PainelInicial } from '../../api/types.ts';
import { formatMs } from '../../lib/format.ts';
import { metodoLabels, metodos } from '../../lib/labels.ts';
import { useCliente } from '../shell/workspace.tsx';
import { corDaOperacao, formatInteiro, rotuloEixo, rotuloIntervalo } from './format.ts';
import { intervaloDoPonto, periodoInteiro, queryDosLogs, type AlvoDosLogs } from './logs-link.ts';

const ALTURA = 220;
/** Legends under the plot, centred (Mantine right-aligns them, which looks lost when they wrap). */
const legendaCentralizada = { legend: { justifyContent: 'center' } };

export function ChartCard({ title, description, actions, children }: { title: string; description: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={title}>
      <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap">
        <Stack gap={2}>
          <Title order={4} fz="md">
            {title}
          </Title>
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        </Stack>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

/** Axis ticks and tooltip titles for charts whose x axis is the bucket start. */
function useEixoTempo(dados: PainelInicial) {
  return useMemo(
    () => ({
      // Recharts also renders the (hidden) tooltip with no label: only numbers are bucket starts.
      xAxisProps: { tickFormatter: (inicio: unknown) => (typeof inicio === 'number' ? rotuloEixo(dados.periodo, inicio) : ''), minTickGap: 16 },
      tooltipProps: { labelFormatter: (inicio: unknown) => (typeof inicio === 'number' ? rotuloIntervalo(dados.periodo, inicio, dados.intervaloMs) : '') },
    }),
    [dados.periodo, dados.intervaloMs],
  );
}

const seriesDasOperacoes = metodos.map((m) => ({ name: m, label: metodoLabels[m], color: corDaOperacao[m] }));

/**
 * Opens the central de logs on one chart point: the calls to the operator in that interval (and of
 * that operação or resultado, when the point says so) — the filters go in the logs' address.
 */
export function useAbrirLogs() {
  const { link } = useCliente();
  const navigate = useNavigate();
  return (alvo: AlvoDosLogs) => navigate(`${link('logs')}?${queryDosLogs(alvo)}`);
}

/** The bucket start a click on a time chart landed on (recharts hands the x value as `activeLabel`). */
const inicioDoClique = (state: unknown): number | undefined => {
  const label = (state as { activeLabel?: unknown } | null)?.activeLabel;
  return typeof label === 'number' ? label : typeof label === 'string' && /^\d+$/.test(label) ? Number(label) : undefined;
};

/** The category (y value) a click on a horizontal bar chart landed on. */
const categoriaDoClique = (state: unknown): string | undefined => {
  const label = (state as { activeLabel?: unknown } | null)?.activeLabel;
  return typeof label === 'string' ? label : undefined;
};

/**
 * A click on one bar segment: the segment's own filters. The click stops there, so the chart's
 * click (the whole interval or category) does not run after it.
 */
function cliqueNoSegmento<T>(abrir: (linha: T) => void) {
  return (dado: unknown, _indice: number, evento?: MouseEvent) => {
    evento?.stopPropagation();
    const linha = (dado as { payload?: T } | null)?.payload;
    if (linha) abrir(linha);
  };
}

/** Charts whose points open the central de logs look clickable. */
const clicavel = { style: { cursor: 'pointer' } };

function VolumeChart({ dados }: { dados: PainelInicial }) {
  const eixo = useEixoTempo(dados);
  const abrirLogs = useAbrirLogs();
  const data = useMemo(() => dados.serie.map((p) => ({ inicio: p.inicio, ...Object.fromEntries(metodos.map((m) => [m, p.porOperacao[m].chamadas])) })), [dados]);
  return (
    <ChartCard
      title="Volume de chamadas"
      description="Chamadas às APIs da operadora em cada intervalo, por operação. Clique numa barra para ver na central de logs as chamadas daquela operação no intervalo (fora da barra: todas as do intervalo)."
    >
      <BarChart
        barChartProps={{
          onClick: (state: unknown) => {
            const inicio = inicioDoClique(state);
            if (inicio !== undefined) abrirLogs(intervaloDoPonto(dados, inicio));
          },
          ...clicavel,
        }}
        barProps={(serie) => ({ onClick: cliqueNoSegmento<{ inicio: number }>((linha) => abrirLogs({ ...intervaloDoPonto(dados, linha.inicio), operacao: serie.name })) })}
        h={ALTURA + 40}
        data={data}
        dataKey="inicio"
        type="stacked"
        series={seriesDasOperacoes}
        withLegend
        styles={legendaCentralizada}
        legendProps={{ verticalAlign: 'bottom', height: 56 }}
        valueFormatter={formatInteiro}
        yAxisProps={{ allowDecimals: false, width: 48 }}
        {...eixo}
      />
    </ChartCard>
  );
}

function SucessoChart({ dados }: { dados: PainelInicial }) {
  const eixo = useEixoTempo(dados);
  const abrirLogs = useAbrirLogs();
  const data = useMemo(() => dados.serie.map((p) => ({ inicio: p.inicio, taxa: p.geral.chamadas === 0 ? null : (100 * p.geral.sucesso) / p.geral.chamadas })), [dados]);
  return (
    <ChartCard title="Taxa de sucesso" description="Chamadas com sucesso ÷ chamadas, em cada intervalo (sem ponto onde não houve chamada). Clique num ponto para ver as chamadas daquele intervalo.">
      <LineChart
        lineChartProps={{
          onClick: (state: unknown) => {
            const inicio = inicioDoClique(state);
            if (inicio !== undefined) abrirLogs(intervaloDoPonto(dados, inicio));
          },
          ...clicavel,
        }}
        h={ALTURA}
        data={data}
        dataKey="inicio"
        series={[{ name: 'taxa', label: 'Taxa de sucesso', color: 'teal.6' }]}
        curveType="linear"
        withDots
        dotProps={{ r: 2.5 }}
        valueFormatter={(v) => `${v.toLocaleString('pt-BR', { maximumFractionDigits: 1 })}%`}
        yAxisProps={{ domain: [0, 100], ticks: [0, 25, 50, 75, 100], width: 48, tickFormatter: (v: number) => `${v}%` }}
        {...eixo}
      />
    </ChartCard>
  );
}

function LatenciaChart({ dados }: { dados: PainelInicial }) {
  const eixo = useEixoTempo(dados);
  const abrirLogs = useAbrirLogs();
  const [operacao, setOperacao] = useState<MetodoOperadora | 'todas'>('todas');
  const data = useMemo(
    () =>
      dados.serie.map((p) => {
        const ponto = operacao === 'todas' ? p.geral : p.porOperacao[operacao];
        return { inicio: p.inicio, p50: ponto.p50Ms, p95: ponto.p95Ms };
      }),
    [dados, operacao],
  );
  return (
    <ChartCard
      title="Latência"
      description="Mediana (p50) e percentil 95 do tempo de resposta da operadora. Clique num ponto para ver as chamadas daquele intervalo (da operação escolhida)."
      actions={
        <Select
          aria-label="Operação da latência"
          size="xs"
          w={190}
          style={{ flexShrink: 0 }}
          allowDeselect={false}
          value={operacao}
          onChange={(v) => setOperacao((v as MetodoOperadora | 'todas' | null) ?? 'todas')}
          data={[{ value: 'todas', label: 'Todas as operações' }, ...metodos.map((m) => ({ value: m, label: metodoLabels[m] }))]}
          comboboxProps={{ withinPortal: true }}
        />
      }
    >
      <LineChart
        lineChartProps={{
          onClick: (state: unknown) => {
            const inicio = inicioDoClique(state);
            if (inicio !== undefined) abrirLogs({ ...intervaloDoPonto(dados, inicio), operacao: operacao === 'todas' ? undefined : operacao });
          },
          ...clicavel,
        }}
        h={ALTURA}
        data={data}
        dataKey="inicio"
        series={[
          { name: 'p50', label: 'p50 (mediana)', color: 'blue.6' },
          { name: 'p95', label: 'p95', color: 'orange.6' },
        ]}
        curveType="linear"
        withDots
        dotProps={{ r: 2.5 }}
        withLegend
        styles={legendaCentralizada}
        legendProps={{ verticalAlign: 'bottom', height: 28 }}
        valueFormatter={(v) => formatMs(v)}
        yAxisProps={{ width: 64, tickFormatter: (v: number) => formatMs(v) }}
        {...eixo}
      />
    </ChartCard>
  );
}

function ViolacoesChart({ dados }: { dados: PainelInicial }) {
  const abrirLogs = useAbrirLogs();
  const data = useMemo(
    () => dados.totais.map((t) => ({ operacao: metodoLabels[t.operacao], chave: t.operacao, violacoes: t.violacoesContrato, outras: Math.max(0, t.falhas - t.violacoesContrato) })),
    [dados],
  );
  const total = dados.geral.violacoesContrato;
  // Violations open the calls that ended in one; "outras falhas" (several resultados) the operação's calls.
  const abrir = (chave: string, resultado?: string) => abrirLogs({ ...periodoInteiro(dados), operacao: chave, resultado });
  return (
    <ChartCard
      title="Violações de contrato por operação"
      description="Respostas que não seguiram o contrato do método, ao lado das demais falhas. Clique numa barra para ver essas chamadas do período."
      actions={
        <Badge variant="light" color={total > 0 ? 'red' : 'gray'}>
          {formatInteiro(total)} {total === 1 ? 'violação' : 'violações'}
        </Badge>
      }
    >
      <BarChart
        barChartProps={{
          onClick: (state: unknown) => {
            const linha = data.find((d) => d.operacao === categoriaDoClique(state));
            if (linha) abrir(linha.chave);
          },
          ...clicavel,
        }}
        barProps={(serie) => ({ onClick: cliqueNoSegmento<{ chave: string }>((linha) => abrir(linha.chave, serie.name === 'violacoes' ? 'violacao_contrato' : undefined)) })}
        h={ALTURA}
        data={data}
        dataKey="operacao"
        orientation="vertical"
        type="stacked"
        series={[
          { name: 'violacoes', label: 'Violações de contrato', color: 'red.6' },
          { name: 'outras', label: 'Outras falhas', color: 'gray.4' },
        ]}
        withLegend
        styles={legendaCentralizada}
        legendProps={{ verticalAlign: 'bottom', height: 28 }}
        valueFormatter={formatInteiro}
        xAxisProps={{ allowDecimals: false }}
        yAxisProps={{ width: 200 }}
        gridAxis="x"
      />
    </ChartCard>
  );
}

function GrupoChart({ dados, children }: { dados: PainelInicial; children?: ReactNode }) {
  const eixo = useEixoTempo(dados);
  const abrirLogs = useAbrirLogs();
  const abrir = (inicio: number, resultado?: string) => abrirLogs({ ...intervaloDoPonto(dados, inicio), operacao: 'autorizacao', resultado });
  const data = useMemo(
    () => dados.serie.map((p) => ({ inicio: p.inicio, sucesso: p.porOperacao.autorizacao.sucesso, falhas: p.falhasGrupo })),
    [dados],
  );
  return (
    <ChartCard title="Renovações de grupo de autorização" description="Chamadas a /autorizacao em cada intervalo: com sucesso e com falha. Clique numa barra para vê-las na central de logs.">
      <BarChart
        barChartProps={{
          onClick: (state: unknown) => {
            const inicio = inicioDoClique(state);
            if (inicio !== undefined) abrir(inicio);
          },
          ...clicavel,
        }}
        barProps={(serie) => ({ onClick: cliqueNoSegmento<{ inicio: number }>((linha) => abrir(linha.inicio, serie.name === 'sucesso' ? 'sucesso' : undefined)) })}
        h={ALTURA}
        data={data}
        dataKey="inicio"
        type="stacked"
        series={[
          { name: 'sucesso', label: 'Com sucesso', color: 'teal.5' },
          { name: 'falhas', label: 'Com falha', color: 'red.6' },
        ]}
        withLegend
        styles={legendaCentralizada}
        legendProps={{ verticalAlign: 'bottom', height: 28 }}
        valueFormatter={formatInteiro}
        yAxisProps={{ allowDecimals: false, width: 48 }}
        {...eixo}
      />
      {children}
    </ChartCard>
  );
}

/** Every chart of the painel inicial; `grupos` goes under the grupo refresh chart. */
export function Graficos({ dados, grupos }: { dados: PainelInicial; grupos?: ReactNode }) {
  return (
    <Stack gap="md">
      <VolumeChart dados={dados} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <SucessoChart dados={dados} />
        <LatenciaChart dados={dados} />
        <ViolacoesChart dados={dados} />
        <GrupoChart dados={dados}>{grupos}</GrupoChart>
      </SimpleGrid>
    </Stack>
  );
}

export function GraficosSkeleton() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Carregando gráficos">
      <Paper withBorder radius="md" p="md">
        <Skeleton height={14} width={180} mb="xs" />
        <Skeleton height={ALTURA + 40} />
      </Paper>
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        {Array.from({ length: 4 }, (_, i) => (
          <Paper key={i} withBorder radius="md" p="md">
            <Skeleton height={14} width={160} mb="xs" />
            <Skeleton height={ALTURA} />
          </Paper>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

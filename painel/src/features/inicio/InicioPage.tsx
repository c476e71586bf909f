import '@mantine/charts/styles.css';
import { Alert, Button, Group, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconChartBar, IconChecklist, IconFileSearch, IconInfoCircle, IconRefresh } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { PainelInicial, PeriodoPainel } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useQueryState } from '../../lib/use-query-state.ts';
import { useCliente } from '../shell/workspace.tsx';
import { Identificadores } from './Identificadores.tsx';
import { PrimeirosPassos } from './PrimeirosPassos.tsx';
import { usePainelInicial } from './api.ts';
import { periodoOpcoes } from './format.ts';
import { periodoDaQuery } from './logs-link.ts';
import { Graficos, GraficosSkeleton } from './Graficos.tsx';
import { GruposResumo } from './GruposResumo.tsx';
import { KpiCards, KpiCardsSkeleton } from './KpiCards.tsx';
import { TabelaOperacoes } from './TabelaOperacoes.tsx';
import { UltimaHora } from './UltimaHora.tsx';

const intervaloLabel: Record<PeriodoPainel, string> = { '1h': 'intervalos de 5 minutos', '24h': 'intervalos de 1 hora', '7d': 'intervalos de 6 horas', '30d': 'intervalos de 1 dia' };

const inicioFmt = new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const horaFmt = new Intl.DateTimeFormat('pt-BR', { hour: '2-digit', minute: '2-digit' });

/** What the numbers cover: the window ends with the interval in progress, i.e. "now". */
function Cobertura({ dados, atualizadoEm }: { dados: PainelInicial; atualizadoEm: number }) {
  return (
    <Text size="xs" c="dimmed">
      Desde {inicioFmt.format(dados.desde)} até agora · {intervaloLabel[dados.periodo]} · atualizado às {horaFmt.format(atualizadoEm)}
    </Text>
  );
}

function SemChamadas({ dados }: { dados: PainelInicial }) {
  const { instanciaNome, link } = useCliente();
  const periodo = periodoOpcoes.find((p) => p.value === dados.periodo)!;
  return (
    <Stack gap="md">
      <EmptyState
        icon={<IconChartBar size={28} />}
        title={`Nenhuma chamada à operadora ${periodo.descricao}`}
        description={`Os gráficos aparecem assim que a Ponte chamar as APIs da operadora na instância ${instanciaNome} — pelo app do beneficiário, pela renovação de um grupo de autorização ou pelo validador de integração, que testa a configuração agora mesmo.`}
        action={
          <Group gap="sm" mt="xs">
            <Button component={Link} to={link('validador')} leftSection={<IconChecklist size={16} />}>
              Validador de integração
            </Button>
            <Button component={Link} to={link('logs')} variant="default" leftSection={<IconFileSearch size={16} />}>
              Central de logs
            </Button>
          </Group>
        }
      />
      {dados.grupos.length > 0 ? (
        <Paper withBorder radius="md" p="md" component="section" aria-label="Grupos de autorização">
          <Text fw={600} size="sm">
            Grupos de autorização
          </Text>
          <GruposResumo grupos={dados.grupos} />
        </Paper>
      ) : null}
    </Stack>
  );
}

/** The painel's landing page: how the calls to the operator went, as charts. */
export function InicioPage() {
  const { clienteId, instancia } = useCliente();
  // The period lives in the address (`?periodo=7d`): a reload, the back button and a shared link keep it.
  const [query, setQuery] = useQueryState({ periodo: '24h' });
  const periodo = periodoDaQuery(query.periodo);
  const painel = usePainelInicial(clienteId, instancia, periodo);
  const dados = painel.data;

  return (
    <>
      <PageHeader
        title="Painel inicial"
        badge={<InstanciaBadge />}
        description="Como foram as chamadas da Ponte às APIs da operadora: volume por operação, taxa de sucesso, latência, violações do contrato e renovações dos grupos de autorização."
        actions={
          <>
            <SegmentedControl
              aria-label="Período"
              value={periodo}
              onChange={(v) => setQuery({ periodo: v }, { push: true })}
              data={periodoOpcoes.map(({ value, label }) => ({ value, label }))}
            />
            <Button variant="default" leftSection={<IconRefresh size={16} />} loading={painel.isFetching && !painel.isPending} onClick={() => void painel.refetch()}>
              Atualizar
            </Button>
          </>
        }
      />
      <Stack gap="md" mb="md">
        <PrimeirosPassos />
        <UltimaHora />
      </Stack>
      {painel.isPending ? (
        <Stack gap="md">
          <KpiCardsSkeleton />
          <GraficosSkeleton />
        </Stack>
      ) : painel.isError || !dados ? (
        <ErrorAlert error={painel.error} title="Não foi possível carregar o painel inicial" />
      ) : dados.geral.chamadas === 0 ? (
        <SemChamadas dados={dados} />
      ) : (
        <Stack gap="md">
          <Cobertura dados={dados} atualizadoEm={painel.dataUpdatedAt} />
          {dados.amostrado ? (
            <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />} py="xs">
              <Text size="sm">
                Muitas chamadas no período: as latências (p50 e p95) foram calculadas sobre uma amostra regular delas. As contagens e taxas são exatas.
              </Text>
            </Alert>
          ) : null}
          <KpiCards dados={dados} />
          <Graficos dados={dados} grupos={<GruposResumo grupos={dados.grupos} />} />
          <TabelaOperacoes dados={dados} />
        </Stack>
      )}
      <Stack gap="md" mt="md">
        <Identificadores />
      </Stack>
    </>
  );
}

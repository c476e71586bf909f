import { Group, Paper, SimpleGrid, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconActivity, IconAlertTriangle, IconClockHour4, IconCircleCheck, IconShieldLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { PainelInicial } from '../../api/types.ts';
import { formatMs } from '../../lib/format.ts';
import { formatInteiro, formatTaxa } from './format.ts';

function Kpi({ label, value, detail, icon, color, valueColor }: { label: string; value: string; detail: ReactNode; icon: ReactNode; color: string; valueColor?: string }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Text size="xs" c="dimmed" fw={600} tt="uppercase" lh={1.3}>
          {label}
        </Text>
        <ThemeIcon variant="light" color={color} size={30} radius="md" aria-hidden>
          {icon}
        </ThemeIcon>
      </Group>
      <Text fz={28} fw={700} lh={1.2} mt={4} c={valueColor}>
        {value}
      </Text>
      <Text size="xs" c="dimmed" mt={4}>
        {detail}
      </Text>
    </Paper>
  );
}

function taxaColor(taxa: number | null): string | undefined {
  if (taxa === null) return undefined;
  if (taxa >= 0.95) return 'teal.7';
  if (taxa >= 0.8) return 'yellow.8';
  return 'red.7';
}

/** The period at a glance: volume, success, p95, contract violations, grupo refresh failures. */
export function KpiCards({ dados }: { dados: PainelInicial }) {
  const { geral } = dados;
  const renovacoes = dados.totais.find((t) => t.operacao === 'autorizacao')?.chamadas ?? 0;
  return (
    <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md">
      <Kpi label="Chamadas" value={formatInteiro(geral.chamadas)} detail="às APIs da operadora" icon={<IconActivity size={18} />} color="indigo" />
      <Kpi
        label="Taxa de sucesso"
        value={formatTaxa(geral.taxaSucesso)}
        valueColor={taxaColor(geral.taxaSucesso)}
        detail={`${formatInteiro(geral.sucesso)} de ${formatInteiro(geral.chamadas)} com sucesso`}
        icon={<IconCircleCheck size={18} />}
        color="teal"
      />
      <Kpi label="Latência p95" value={formatMs(geral.p95Ms)} detail={`mediana (p50): ${formatMs(geral.p50Ms)}`} icon={<IconClockHour4 size={18} />} color="blue" />
      <Kpi
        label="Violações de contrato"
        value={formatInteiro(geral.violacoesContrato)}
        valueColor={geral.violacoesContrato > 0 ? 'red.7' : undefined}
        detail="respostas fora do contrato"
        icon={<IconAlertTriangle size={18} />}
        color={geral.violacoesContrato > 0 ? 'red' : 'gray'}
      />
      <Kpi
        label="Falhas de renovação"
        value={formatInteiro(geral.falhasGrupo)}
        valueColor={geral.falhasGrupo > 0 ? 'red.7' : undefined}
        detail={`de ${formatInteiro(renovacoes)} ${renovacoes === 1 ? 'renovação' : 'renovações'} de grupo`}
        icon={<IconShieldLock size={18} />}
        color={geral.falhasGrupo > 0 ? 'red' : 'grape'}
      />
    </SimpleGrid>
  );
}

export function KpiCardsSkeleton() {
  return (
    <SimpleGrid cols={{ base: 2, md: 5 }} spacing="md" aria-busy="true" aria-label="Carregando indicadores">
      {Array.from({ length: 5 }, (_, i) => (
        <Paper key={i} withBorder radius="md" p="md">
          <Stack gap={10}>
            <Skeleton height={10} width="60%" />
            <Skeleton height={26} width="50%" />
            <Skeleton height={8} width="80%" />
          </Stack>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

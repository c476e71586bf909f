import { Badge, Box, Grid, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { DefinicaoFormulario, Instancia } from '../../api/types.ts';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { metodoLabels } from '../../lib/labels.ts';
import { PreviaFormulario } from './PreviaFormulario.tsx';
import { ResumoCampos } from './ResumoCampos.tsx';

/** A form, read-only, with the live preview: the leitor's view of a form, and everyone's view of a default form. */
export function VisualizarFormulario({
  clienteId,
  instancia,
  definicao,
  titulo,
  descricao,
  emUso,
  atualizadoEm,
  acoes,
}: {
  clienteId: string;
  instancia: Instancia;
  definicao: DefinicaoFormulario;
  titulo: string;
  descricao: ReactNode;
  emUso: boolean;
  atualizadoEm?: number | undefined;
  acoes: ReactNode;
}) {
  return (
    <>
      <PageHeader
        title={titulo}
        badge={
          <Group gap="xs">
            <InstanciaBadge />
            {emUso ? (
              <Badge color="teal" variant="light" size="lg" radius="sm">
                Em uso pelo app
              </Badge>
            ) : null}
          </Group>
        }
        description={descricao}
        actions={acoes}
      />
      <Grid gutter="lg">
        <Grid.Col span="auto" miw={0}>
          <Stack gap="sm">
            <Group gap="lg">
              <Text size="sm">
                <Text span c="dimmed">
                  Finalidade:{' '}
                </Text>
                {metodoLabels[definicao.finalidade]}
              </Text>
              {atualizadoEm ? (
                <Text size="sm">
                  <Text span c="dimmed">
                    Atualizado em{' '}
                  </Text>
                  {formatDateTime(atualizadoEm)}
                </Text>
              ) : null}
            </Group>
            <ResumoCampos campos={definicao.campos} />
          </Stack>
        </Grid.Col>
        <Grid.Col span="content">
          <Box pos="sticky" top={80}>
            <PreviaFormulario
              clienteId={clienteId}
              instancia={instancia}
              campos={definicao.campos.map((campo, index) => ({ chave: `v${index}`, campo }))}
              definicao={definicao}
              problemasDaDefinicao={0}
            />
          </Box>
        </Grid.Col>
      </Grid>
    </>
  );
}

import { useWorkspace } from '../shell/workspace.tsx';
import { Anchor, Badge, Divider, Group, Stack, Text, Tooltip } from '@mantine/core';
import { Link } from 'react-router';
import type { PainelInicial } from '../../api/types.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { corDeTexto } from '../../theme.ts';

/** The instância's grupos and how their last refresh went; under the refresh chart. */
export function GruposResumo({ grupos }: { grupos: PainelInicial['grupos'] }) {
  const { link } = useWorkspace();
  return (
    <>
      <Divider my="sm" />
      {grupos.length === 0 ? (
        <Text size="xs" c="dimmed">
          Nenhum grupo de autorização nesta instância.{' '}
          <Anchor component={Link} to={link('seguranca/grupos')} size="xs" underline="always">
            Ver grupos
          </Anchor>
        </Text>
      ) : (
        <Stack gap={6}>
          {grupos.map((g) => (
            <Group key={g.id} justify="space-between" wrap="nowrap" gap="xs">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="sm" fw={500} truncate>
                  {g.nome}
                </Text>
                {g.status === 'falhando' && g.ultimoErro ? (
                  <Text size="xs" c={corDeTexto('red')} lineClamp={1} title={g.ultimoErro}>
                    {g.ultimoErro} ({formatRelative(g.ultimoErroEm)})
                  </Text>
                ) : (
                  <Tooltip label={formatDateTime(g.ultimaRenovacaoEm)} disabled={g.ultimaRenovacaoEm === null}>
                    <Text size="xs" c="dimmed">
                      {g.ultimaRenovacaoEm === null ? 'Ainda não renovado' : `Renovado ${formatRelative(g.ultimaRenovacaoEm)}`}
                    </Text>
                  </Tooltip>
                )}
              </Stack>
              <Badge color={g.status === 'ativo' ? 'teal' : 'red'} variant="light">
                {g.status === 'ativo' ? 'Ativo' : 'Falhando'}
              </Badge>
            </Group>
          ))}
          <Anchor component={Link} to={link('seguranca/grupos')} size="xs" underline="always">
            Gerenciar grupos de autorização
          </Anchor>
        </Stack>
      )}
    </>
  );
}

import { ActionIcon, Badge, Button, Group, Menu, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconDots, IconPencil, IconPlus, IconRefresh, IconShieldLock, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Grupo } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/errors.ts';
import { useCliente } from '../shell/workspace.tsx';
import { useGrupos, useRemoveGrupo, useRenovarGrupo } from './api.ts';
import { GrupoFormModal } from './GrupoFormModal.tsx';
import { corDeTexto } from '../../theme.ts';

export function GruposPage() {
  const { clienteId, instancia, podeEditar } = useCliente();
  const grupos = useGrupos(clienteId, instancia);
  const renovar = useRenovarGrupo(clienteId, instancia);
  const remove = useRemoveGrupo(clienteId, instancia);
  const [editing, setEditing] = useState<{ grupo: Grupo | null } | null>(null);
  const [removing, setRemoving] = useState<Grupo | null>(null);

  const renovarAgora = (grupo: Grupo) =>
    renovar.mutate(grupo.id, {
      onSuccess: (g) =>
        g.status === 'ativo' ? notifySuccess(`Tokens do grupo "${g.nome}" renovados.`) : notifyError(new Error(g.ultimoErro ?? 'A renovação falhou.'), 'Renovação falhou'),
      onError: (error) => notifyError(error, 'Renovação falhou'),
    });

  const newButton = (
    <Tooltip label="Seu papel não permite alterar a configuração" disabled={podeEditar}>
      <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ grupo: null })} disabled={!podeEditar}>
        Novo grupo
      </Button>
    </Tooltip>
  );

  return (
    <>
      <PageHeader
        title="Grupos de autorização"
        badge={<InstanciaBadge />}
        description="Endpoints /autorizacao da operadora. A Ponte guarda os pares chave/token que eles devolvem e os envia como headers em toda chamada da integração vinculada, renovando antes de vencerem."
        actions={newButton}
      />
      {grupos.isPending ? (
        <TableSkeleton />
      ) : grupos.isError ? (
        <ErrorAlert error={grupos.error} title="Não foi possível carregar os grupos" />
      ) : grupos.data.length === 0 ? (
        <EmptyState
          icon={<IconShieldLock size={28} />}
          title="Nenhum grupo de autorização nesta instância"
          description="Se a API da operadora exige um token de sistema em cada chamada, cadastre o endpoint /autorizacao: a Ponte verifica a resposta ao vivo antes de salvar."
          action={podeEditar ? <Button onClick={() => setEditing({ grupo: null })}>Cadastrar grupo</Button> : undefined}
        />
      ) : (
        <Paper withBorder radius="md">
          <Table highlightOnHover aria-label="Grupos de autorização">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Grupo</Table.Th>
                <Table.Th w={120}>Usuário</Table.Th>
                <Table.Th w={110}>Status</Table.Th>
                <Table.Th w={150}>Última renovação</Table.Th>
                <Table.Th w={210}>Último erro</Table.Th>
                <Table.Th w={190}>
                  <span className="sr-only">Ações</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {grupos.data.map((grupo) => (
                <Table.Tr key={grupo.id}>
                  <Table.Td>
                    <Stack gap={2}>
                      <Text fw={600} size="sm">
                        {grupo.nome}
                      </Text>
                      <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {grupo.url}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{grupo.usuario}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={grupo.status === 'ativo' ? 'teal' : 'red'} variant="light">
                      {grupo.status === 'ativo' ? 'Ativo' : 'Falhando'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={formatDateTime(grupo.ultimaRenovacaoEm)} disabled={!grupo.ultimaRenovacaoEm}>
                      <Text size="sm">{formatRelative(grupo.ultimaRenovacaoEm)}</Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    {grupo.ultimoErro ? (
                      <Stack gap={0}>
                        <Text size="sm" c={corDeTexto('red')} lineClamp={2} title={grupo.ultimoErro}>
                          {grupo.ultimoErro}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {formatDateTime(grupo.ultimoErroEm)}
                        </Text>
                      </Stack>
                    ) : (
                      <Text size="sm" c="dimmed">
                        nenhum
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button
                        size="xs"
                        variant="light"
                        leftSection={<IconRefresh size={14} />}
                        disabled={!podeEditar}
                        loading={renovar.isPending && renovar.variables === grupo.id}
                        onClick={() => renovarAgora(grupo)}
                      >
                        Renovar agora
                      </Button>
                      {podeEditar ? (
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Mais ações do grupo ${grupo.nome}`}>
                              <IconDots size={18} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setEditing({ grupo })}>
                              Editar
                            </Menu.Item>
                            <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setRemoving(grupo)}>
                              Remover
                            </Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <GrupoFormModal clienteId={clienteId} instancia={instancia} grupo={editing?.grupo ?? null} opened={editing !== null} onClose={() => setEditing(null)} />
      <ConfirmDialog
        opened={removing !== null}
        title="Remover grupo de autorização"
        confirmLabel="Remover grupo"
        loading={remove.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.id, {
            onSuccess: () => {
              notifySuccess(`Grupo "${removing.nome}" removido.`);
              setRemoving(null);
            },
            onError: (error) => notifyError(error),
          })
        }
      >
        <Text size="sm">
          O grupo <b>{removing?.nome}</b> será removido. Integrações vinculadas a ele passam a chamar a operadora sem os headers do grupo.
        </Text>
      </ConfirmDialog>
    </>
  );
}

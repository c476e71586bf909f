import { ActionIcon, Anchor, Badge, Button, Code, CopyButton, Group, Menu, Paper, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconApps, IconCheck, IconCopy, IconDots, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Funcionalidade } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/errors.ts';
import { useCliente } from '../shell/workspace.tsx';
import { entradaDe, useFuncionalidades, useRemoveFuncionalidade, useSaveFuncionalidade } from './api.ts';
import { FuncionalidadeModal } from './FuncionalidadeModal.tsx';

function ChaveComCopia({ chave, nome }: { chave: string; nome: string }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Code fz="xs" style={{ whiteSpace: 'nowrap' }}>
        {chave}
      </Code>
      <CopyButton value={chave} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copiada' : 'Copiar'}>
            <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} size="sm" onClick={copy} aria-label={`Copiar a chaveFuncionalidade de ${nome}`}>
              {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

export function FuncionalidadesPage() {
  const { clienteId, instancia, podeEditar } = useCliente();
  const funcionalidades = useFuncionalidades(clienteId, instancia);
  const save = useSaveFuncionalidade(clienteId, instancia);
  const remove = useRemoveFuncionalidade(clienteId, instancia);
  const [editando, setEditando] = useState<{ funcionalidade: Funcionalidade | null } | null>(null);
  const [removendo, setRemovendo] = useState<Funcionalidade | null>(null);
  const [desativando, setDesativando] = useState<Funcionalidade | null>(null);

  function definirAtiva(f: Funcionalidade, ativa: boolean) {
    save.mutate(
      { id: f.id, body: entradaDe(f, { ativa }) },
      {
        onSuccess: () => {
          notifySuccess(
            ativa ? `"${f.nome}" está ativa: o app volta a mostrá-la.` : `"${f.nome}" foi desativada.`,
            ativa ? 'Funcionalidade ativada' : 'Funcionalidade desativada',
          );
          setDesativando(null);
        },
        onError: (error) => notifyError(error),
      },
    );
  }

  const novaBotao = (
    <Tooltip label="Seu papel não permite alterar a configuração" disabled={podeEditar}>
      <Button leftSection={<IconPlus size={16} />} onClick={() => setEditando({ funcionalidade: null })} disabled={!podeEditar}>
        Nova funcionalidade
      </Button>
    </Tooltip>
  );

  return (
    <>
      <PageHeader
        title="Funcionalidades"
        badge={<InstanciaBadge />}
        description={
          <>
            Páginas da operadora que o app abre numa WebView. Ao abrir, a Ponte acrescenta à URL uma <b>chave passe</b>: uma chave de uso curto, ligada à sessão
            do beneficiário, que o servidor da operadora troca em <Code fz="xs">/clientes/chavePasse/…</Code> pelos dados de quem abriu a página.
          </>
        }
        actions={novaBotao}
      />
      {funcionalidades.isPending ? (
        <TableSkeleton />
      ) : funcionalidades.isError ? (
        <ErrorAlert error={funcionalidades.error} title="Não foi possível carregar as funcionalidades" />
      ) : funcionalidades.data.length === 0 ? (
        <EmptyState
          icon={<IconApps size={28} />}
          title="Nenhuma funcionalidade nesta instância"
          description="Cadastre uma página da operadora — carteirinha, boletos, agendamento — para o app abri-la já com o beneficiário identificado pela chave passe."
          action={podeEditar ? <Button onClick={() => setEditando({ funcionalidade: null })}>Cadastrar funcionalidade</Button> : undefined}
        />
      ) : (
        <Paper withBorder radius="md">
          <Table highlightOnHover aria-label="Funcionalidades">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Funcionalidade</Table.Th>
                <Table.Th w={310}>chaveFuncionalidade</Table.Th>
                <Table.Th w={110} style={{ whiteSpace: 'nowrap' }}>
                  <Tooltip label="Validade da chave passe emitida ao abrir">
                    <span>Chave passe</span>
                  </Tooltip>
                </Table.Th>
                <Table.Th w={90}>Ativa</Table.Th>
                <Table.Th w={120}>Atualizada</Table.Th>
                <Table.Th w={60}>
                  <span className="sr-only">Ações</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {funcionalidades.data.map((f) => (
                <Table.Tr key={f.id} c={f.ativa ? undefined : 'dimmed'}>
                  <Table.Td style={{ maxWidth: 0 }}>
                    <Stack gap={2}>
                      <Text fw={600} size="sm">
                        {f.nome}
                      </Text>
                      <Tooltip label={f.url} openDelay={400} multiline maw={480} style={{ wordBreak: 'break-all' }}>
                        <Anchor href={f.url} target="_blank" rel="noreferrer" size="xs" ff="monospace" c="dimmed" truncate="end" display="block">
                          {f.url}
                        </Anchor>
                      </Tooltip>
                      {f.codigo !== f.chaveFuncionalidade ? (
                        <Text size="xs" c="dimmed">
                          Código nas permissões: <Code fz="xs">{f.codigo}</Code>
                        </Text>
                      ) : null}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <ChaveComCopia chave={f.chaveFuncionalidade} nome={f.nome} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {f.validadeMinutos} min
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {podeEditar ? (
                      <Switch
                        checked={f.ativa}
                        disabled={save.isPending && save.variables?.id === f.id}
                        onChange={(event) => (event.currentTarget.checked ? definirAtiva(f, true) : setDesativando(f))}
                        aria-label={`${f.nome} ativa`}
                        color="teal"
                      />
                    ) : (
                      <Badge variant="light" color={f.ativa ? 'teal' : 'gray'}>
                        {f.ativa ? 'Ativa' : 'Inativa'}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={formatDateTime(f.atualizadaEm)}>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatRelative(f.atualizadaEm)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    {podeEditar ? (
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={`Ações da funcionalidade ${f.nome}`}>
                            <IconDots size={18} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setEditando({ funcionalidade: f })}>
                            Editar
                          </Menu.Item>
                          <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setRemovendo(f)}>
                            Remover
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <FuncionalidadeModal
        clienteId={clienteId}
        instancia={instancia}
        funcionalidade={editando?.funcionalidade ?? null}
        opened={editando !== null}
        onClose={() => setEditando(null)}
      />
      <ConfirmDialog
        opened={desativando !== null}
        title="Desativar funcionalidade"
        confirmLabel="Desativar"
        loading={save.isPending}
        onClose={() => setDesativando(null)}
        onConfirm={() => desativando && definirAtiva(desativando, false)}
      >
        <Text size="sm">
          O app deixa de mostrar <b>{desativando?.nome}</b> e as chaves passe já emitidas para ela deixam de valer. A chaveFuncionalidade é mantida: você pode
          reativá-la depois.
        </Text>
      </ConfirmDialog>
      <ConfirmDialog
        opened={removendo !== null}
        title="Remover funcionalidade"
        confirmLabel="Remover funcionalidade"
        loading={remove.isPending}
        onClose={() => setRemovendo(null)}
        onConfirm={() =>
          removendo &&
          remove.mutate(removendo.id, {
            onSuccess: () => {
              notifySuccess(`Funcionalidade "${removendo.nome}" removida.`);
              setRemovendo(null);
            },
            onError: (error) => notifyError(error),
          })
        }
      >
        <Text size="sm">
          <b>{removendo?.nome}</b> será removida com suas chaves passe, e a chaveFuncionalidade <Code fz="xs">{removendo?.chaveFuncionalidade}</Code> deixa de
          existir: páginas que a usam param de funcionar. Para suspender sem perder a chave, desative-a. Esta ação não pode ser desfeita.
        </Text>
      </ConfirmDialog>
    </>
  );
}

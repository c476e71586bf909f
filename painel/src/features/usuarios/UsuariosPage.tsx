import { ActionIcon, Avatar, Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLock, IconMail, IconMailX, IconSearch, IconSend, IconUserCheck, IconUserMinus, IconUserOff, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import type { Convite, Membro, Papel } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { notifyError, notifySuccess } from '../../lib/errors.ts';
import { formatDateTime, formatRelative, initials } from '../../lib/format.ts';
import { papelLabels, useCliente } from '../shell/workspace.tsx';
import { useCancelarConvite, useChangePapel, useConvites, useMembros, useReenviarConvite, useRemoveMembro, useSetAtivo } from './api.ts';
import { ConvidarModal } from './ConvidarModal.tsx';

const papelOptions = (['admin', 'editor', 'leitor'] as const).map((papel) => ({ value: papel, label: papelLabels[papel] }));

/**
 * An icon button that, when it cannot be used, stays focusable and says why in its tooltip
 * (a plain `disabled` button shows no tooltip, neither to the mouse nor to the keyboard).
 */
function RowAction({ label, blockedReason, color, icon, onClick }: { label: string; blockedReason: string | null; color: string; icon: ReactNode; onClick: () => void }) {
  return (
    <Tooltip label={blockedReason ?? label} withArrow multiline maw={300}>
      <ActionIcon
        variant="subtle"
        color={blockedReason ? 'gray' : color}
        aria-label={label}
        aria-disabled={blockedReason ? true : undefined}
        data-disabled={blockedReason ? true : undefined}
        onClick={(event) => {
          if (blockedReason) event.preventDefault();
          else onClick();
        }}
      >
        {icon}
      </ActionIcon>
    </Tooltip>
  );
}

function SoAdministradores({ papel }: { papel: Papel | null }) {
  return (
    <>
      <PageHeader title="Usuários" description="Quem acessa o painel deste cliente e com qual papel." />
      <EmptyState
        icon={<IconLock size={28} />}
        title="Só administradores"
        description={
          <>
            A lista de pessoas e os papéis deste cliente são gerenciados pelos administradores dele.
            {papel ? ` Seu papel aqui é ${papelLabels[papel].toLowerCase()}.` : ''} Para convidar alguém ou mudar um papel, fale com um administrador do cliente.
          </>
        }
      />
    </>
  );
}

export function UsuariosPage() {
  const workspace = useCliente();
  if (!workspace.podeAdministrar) return <SoAdministradores papel={workspace.papel} />;
  return <UsuariosDoCliente />;
}

function UsuariosDoCliente() {
  const { clienteId, clienteNome, sessao } = useCliente();
  const membros = useMembros(clienteId);
  const convites = useConvites(clienteId);
  const reenviar = useReenviarConvite(clienteId);
  const cancelar = useCancelarConvite(clienteId);
  const changePapel = useChangePapel(clienteId);
  const setAtivo = useSetAtivo(clienteId);
  const remove = useRemoveMembro(clienteId);
  const [creating, { open, close }] = useDisclosure(false);
  const [removing, setRemoving] = useState<Membro | null>(null);
  const [deactivating, setDeactivating] = useState<Membro | null>(null);
  const [busca, setBusca] = useState('');
  const euId = sessao.usuario.id;

  const activeAdmins = useMemo(() => (membros.data ?? []).filter((m) => m.papel === 'admin' && m.ativo).length, [membros.data]);
  const inativas = (membros.data ?? []).filter((m) => !m.ativo).length;
  const termo = busca.trim().toLowerCase();
  const visiveis = useMemo(() => (membros.data ?? []).filter((m) => !termo || m.nome.toLowerCase().includes(termo) || m.email.includes(termo)), [membros.data, termo]);
  const convitesVisiveis = useMemo(() => (convites.data ?? []).filter((c) => !termo || c.email.includes(termo)), [convites.data, termo]);
  const pendentes = (convites.data ?? []).filter((c) => c.status === 'pendente').length;
  const expirados = (convites.data ?? []).length - pendentes;

  /** Why this member's papel cannot change or they cannot leave the cliente, if so. */
  const membershipBlock = (m: Membro, acao: 'papel' | 'remover'): string | null => {
    if (m.id === euId) return acao === 'papel' ? 'Você não pode mudar o seu próprio papel. Peça a outro administrador.' : 'Você não pode remover a si mesmo. Peça a outro administrador.';
    if (m.papel === 'admin' && m.ativo && activeAdmins <= 1) return 'Único administrador ativo deste cliente: promova outra pessoa a administrador antes.';
    return null;
  };
  const statusBlock = (m: Membro): string | null => {
    if (m.id === euId) return 'Você não pode desativar a sua própria conta.';
    if (!m.podeAlterarStatus) {
      return m.administradorPlataforma
        ? 'Só um administrador da plataforma pode desativar ou reativar outro administrador da plataforma.'
        : 'Esta pessoa também participa de clientes que você não administra: desativar a conta a tiraria deles. Remova-a deste cliente ou peça a um administrador da plataforma.';
    }
    return null;
  };

  const onPapel = (m: Membro, papel: Papel) =>
    changePapel.mutate(
      { usuarioId: m.id, papel },
      { onSuccess: () => notifySuccess(`${m.nome} agora é ${papelLabels[papel].toLowerCase()} neste cliente.`), onError: (error) => notifyError(error, 'O papel não foi alterado') },
    );

  const reactivate = (m: Membro) =>
    setAtivo.mutate({ usuarioId: m.id, ativo: true }, { onSuccess: () => notifySuccess(`A conta de ${m.nome} foi reativada.`), onError: (error) => notifyError(error) });

  const onReenviar = (c: Convite) =>
    reenviar.mutate(c, {
      onSuccess: () => notifySuccess(`Um novo link foi enviado para ${c.email}, válido por 72 horas. O link anterior deixou de funcionar.`, 'Convite reenviado'),
      onError: (error) => notifyError(error, 'O convite não foi reenviado'),
    });
  const onCancelar = (c: Convite) =>
    cancelar.mutate(c, {
      onSuccess: () => notifySuccess(`O link enviado para ${c.email} deixou de funcionar. Para convidar de novo, use “Convidar”.`, 'Convite cancelado'),
      onError: (error) => notifyError(error, 'O convite não foi cancelado'),
    });

  const newButton = (
    <Button leftSection={<IconUserPlus size={16} />} onClick={open}>
      Convidar
    </Button>
  );
  const nadaEncontrado = visiveis.length === 0 && convitesVisiveis.length === 0;

  return (
    <>
      <PageHeader
        title="Usuários"
        description="Quem acessa o painel deste cliente e com qual papel. Administradores gerenciam tudo, inclusive usuários e tokens; editores configuram a integração; leitores só consultam. Para incluir alguém, envie um convite: a pessoa escolhe a própria senha (ou entra com a conta que já tem) e só então passa a ver este cliente."
        actions={newButton}
      />
      {membros.isPending || convites.isPending ? (
        <TableSkeleton rows={4} />
      ) : membros.isError ? (
        <ErrorAlert error={membros.error} title="Não foi possível carregar os usuários" />
      ) : membros.data.length === 0 && (convites.data ?? []).length === 0 ? (
        <EmptyState
          icon={<IconUsers size={28} />}
          title="Ninguém neste cliente ainda"
          description="Convide as pessoas da operadora que vão configurar e acompanhar a integração: cada uma recebe um link por e-mail e escolhe a própria senha."
          action={<Button onClick={open}>Convidar a primeira pessoa</Button>}
        />
      ) : (
        <Stack gap="sm">
          <Group justify="space-between">
            <TextInput
              aria-label="Buscar por nome ou e-mail"
              placeholder="Buscar por nome ou e-mail"
              leftSection={<IconSearch size={16} />}
              value={busca}
              onChange={(event) => setBusca(event.currentTarget.value)}
              w={320}
            />
            <Text size="sm" c="dimmed">
              {membros.data.length} {membros.data.length === 1 ? 'pessoa' : 'pessoas'} · {activeAdmins} {activeAdmins === 1 ? 'administrador ativo' : 'administradores ativos'}
              {inativas > 0 ? ` · ${inativas} ${inativas === 1 ? 'conta inativa' : 'contas inativas'}` : ''}
              {pendentes > 0 ? ` · ${pendentes} ${pendentes === 1 ? 'convite pendente' : 'convites pendentes'}` : ''}
              {expirados > 0 ? ` · ${expirados} ${expirados === 1 ? 'convite expirado' : 'convites expirados'}` : ''}
            </Text>
          </Group>
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={760}>
              <Table highlightOnHover verticalSpacing="sm" aria-label="Usuários do cliente">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Pessoa</Table.Th>
                    <Table.Th w={150}>Papel</Table.Th>
                    <Table.Th w={150}>Status</Table.Th>
                    <Table.Th w={140} style={{ whiteSpace: 'nowrap' }}>
                      Último acesso
                    </Table.Th>
                    <Table.Th w={84}>
                      <span className="sr-only">Ações</span>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {nadaEncontrado ? (
                    <Table.Tr>
                      <Table.Td colSpan={5}>
                        <Text size="sm" c="dimmed" ta="center" py="md">
                          Ninguém com “{busca.trim()}” no nome ou no e-mail.
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ) : null}
                  {visiveis.map((m) => {
                    const papelBlock = membershipBlock(m, 'papel');
                    const pending = (changePapel.isPending && changePapel.variables?.usuarioId === m.id) || (setAtivo.isPending && setAtivo.variables?.usuarioId === m.id);
                    return (
                      <Table.Tr key={m.id} c={m.ativo ? undefined : 'dimmed'}>
                        <Table.Td>
                          <Group gap="sm" wrap="nowrap">
                            <Avatar radius="xl" size={34} color={m.ativo ? 'indigo' : 'gray'}>
                              {initials(m.nome)}
                            </Avatar>
                            <Stack gap={0}>
                              <Group gap={6} wrap="nowrap">
                                <Text size="sm" fw={600}>
                                  {m.nome}
                                </Text>
                                {m.id === euId ? (
                                  <Badge size="xs" variant="outline">
                                    você
                                  </Badge>
                                ) : null}
                                {m.administradorPlataforma ? (
                                  <Badge size="xs" variant="light" color="grape">
                                    Admin. da plataforma
                                  </Badge>
                                ) : null}
                              </Group>
                              <Text size="xs" c="dimmed">
                                {m.email}
                              </Text>
                            </Stack>
                          </Group>
                        </Table.Td>
                        <Table.Td>
                          <Tooltip label={papelBlock ?? ''} disabled={!papelBlock} withArrow multiline maw={300}>
                            <div>
                              <Select
                                aria-label={`Papel de ${m.nome}`}
                                data={papelOptions}
                                value={m.papel}
                                allowDeselect={false}
                                disabled={papelBlock !== null || pending}
                                size="xs"
                                w={132}
                                onChange={(value) => value && value !== m.papel && onPapel(m, value as Papel)}
                              />
                            </div>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>
                          {m.ativo ? (
                            <Badge color="teal" variant="light">
                              Ativo
                            </Badge>
                          ) : (
                            <Badge color="gray" variant="light">
                              Inativo
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Tooltip label={formatDateTime(m.ultimoAcessoEm)} disabled={!m.ultimoAcessoEm}>
                            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                              {m.ultimoAcessoEm ? formatRelative(m.ultimoAcessoEm) : 'nunca entrou'}
                            </Text>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>
                          <Group gap={4} wrap="nowrap" justify="flex-end">
                            {m.ativo ? (
                              <RowAction label={`Desativar a conta de ${m.nome}`} blockedReason={statusBlock(m)} color="orange" icon={<IconUserOff size={18} />} onClick={() => setDeactivating(m)} />
                            ) : (
                              <RowAction label={`Reativar a conta de ${m.nome}`} blockedReason={statusBlock(m)} color="teal" icon={<IconUserCheck size={18} />} onClick={() => reactivate(m)} />
                            )}
                            <RowAction label={`Remover ${m.nome} do cliente`} blockedReason={membershipBlock(m, 'remover')} color="red" icon={<IconUserMinus size={18} />} onClick={() => setRemoving(m)} />
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                  {convitesVisiveis.map((c) => (
                    <ConviteRow
                      key={c.id}
                      convite={c}
                      ocupado={(reenviar.isPending && reenviar.variables?.id === c.id) || (cancelar.isPending && cancelar.variables?.id === c.id)}
                      onReenviar={() => onReenviar(c)}
                      onCancelar={() => onCancelar(c)}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          {convites.isError ? <ErrorAlert error={convites.error} title="Não foi possível carregar os convites" /> : null}
        </Stack>
      )}

      <ConvidarModal clienteId={clienteId} clienteNome={clienteNome} opened={creating} onClose={close} />

      <ConfirmDialog
        opened={removing !== null}
        title="Remover do cliente"
        confirmLabel="Remover do cliente"
        loading={remove.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.id, {
            onSuccess: () => {
              notifySuccess(`${removing.nome} não participa mais deste cliente.`);
              setRemoving(null);
            },
            onError: (error) => notifyError(error),
          })
        }
      >
        <Text size="sm">
          <b>{removing?.nome}</b> ({removing?.email}) perde o acesso a {clienteNome ?? 'este cliente'} na próxima ação no painel. A conta continua existindo, com os outros
          clientes dela; para devolver o acesso, convide o e-mail de novo em “Convidar”.
        </Text>
      </ConfirmDialog>

      <ConfirmDialog
        opened={deactivating !== null}
        title="Desativar conta"
        confirmLabel="Desativar conta"
        loading={setAtivo.isPending}
        onClose={() => setDeactivating(null)}
        onConfirm={() =>
          deactivating &&
          setAtivo.mutate(
            { usuarioId: deactivating.id, ativo: false },
            {
              onSuccess: () => {
                notifySuccess(`A conta de ${deactivating.nome} foi desativada e as sessões dela foram encerradas.`);
                setDeactivating(null);
              },
              onError: (error) => notifyError(error),
            },
          )
        }
      >
        <Text size="sm">
          <b>{deactivating?.nome}</b> ({deactivating?.email}) sai do painel agora — as sessões abertas são encerradas — e não consegue entrar até a conta ser reativada.
          O papel e os clientes dela ficam guardados.
        </Text>
      </ConfirmDialog>
    </>
  );
}

/**
 * An invitation not accepted yet: only what this cliente decided (e-mail, papel) and when the link
 * ends — nothing about any account the e-mail may have.
 */
function ConviteRow({ convite, ocupado, onReenviar, onCancelar }: { convite: Convite; ocupado: boolean; onReenviar: () => void; onCancelar: () => void }) {
  const expirado = convite.status === 'expirado';
  return (
    <Table.Tr>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          <Avatar radius="xl" size={34} color={expirado ? 'gray' : 'yellow'} variant="light">
            <IconMail size={18} />
          </Avatar>
          <Stack gap={0}>
            <Text size="sm" fw={600}>
              {convite.email}
            </Text>
            <Text size="xs" c="dimmed">
              Convidado {convite.convidadoPor ? `por ${convite.convidadoPor} ` : ''}
              {formatRelative(convite.criadoEm)}
            </Text>
          </Stack>
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm" pl={4}>
          {papelLabels[convite.papel]}
        </Text>
      </Table.Td>
      <Table.Td>
        {expirado ? (
          <Badge color="red" variant="light">
            Convite expirado
          </Badge>
        ) : (
          <Badge color="yellow" variant="light">
            Convite pendente
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Tooltip label={`O link ${expirado ? 'expirou' : 'vale até'} ${formatDateTime(convite.expiraEm)}`}>
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {expirado ? `expirou ${formatRelative(convite.expiraEm)}` : `expira ${formatRelative(convite.expiraEm)}`}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap" justify="flex-end">
          <RowAction label={`Reenviar o convite para ${convite.email}`} blockedReason={ocupado ? 'Aguarde…' : null} color="indigo" icon={<IconSend size={18} />} onClick={onReenviar} />
          <RowAction label={`Cancelar o convite para ${convite.email}`} blockedReason={ocupado ? 'Aguarde…' : null} color="red" icon={<IconMailX size={18} />} onClick={onCancelar} />
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

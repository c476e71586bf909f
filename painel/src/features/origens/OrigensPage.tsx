import { ActionIcon, Button, Code, Group, Paper, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash, IconWorld } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import type { Origem } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { errorMessage, notifyError, notifySuccess } from '../../lib/errors.ts';
import { useCliente } from '../shell/workspace.tsx';
import { useAddOrigem, useOrigens, useRemoveOrigem } from './api.ts';

function AddOrigemForm({ clienteId }: { clienteId: string }) {
  const add = useAddOrigem(clienteId);
  const form = useForm({
    initialValues: { origem: '' },
    validate: { origem: (v) => (!v.trim() ? 'Informe a origem.' : !/^https?:\/\/[^/]+$/i.test(v.trim().replace(/\/$/, '')) ? 'Use esquema, host e porta, sem caminho: https://app.operadora.com.br' : null) },
  });
  const submit = form.onSubmit((values) =>
    add.mutate(values.origem.trim(), {
      onSuccess: (origem) => {
        notifySuccess(`Origem ${origem.origem} autorizada.`);
        form.reset();
      },
      onError: (error) => {
        // The only field is the origin: every problem the server names belongs beside it.
        const detail = error instanceof ApiError ? error.details.map((d) => d.message).join(' ') : '';
        form.setFieldError('origem', detail || errorMessage(error));
      },
    }),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Group align="flex-start" gap="sm">
        <TextInput
          label="Nova origem"
          placeholder="https://app.operadora.com.br"
          description="Esquema, host e porta (se não for a padrão). Sem caminho."
          w={460}
          {...form.getInputProps('origem')}
        />
        <Button type="submit" mt={44} leftSection={<IconPlus size={16} />} loading={add.isPending}>
          Adicionar
        </Button>
      </Group>
    </form>
  );
}

export function OrigensPage() {
  const { clienteId, podeAdministrar } = useCliente();
  const origens = useOrigens(clienteId);
  const remove = useRemoveOrigem(clienteId);
  const [removing, setRemoving] = useState<Origem | null>(null);

  return (
    <>
      <PageHeader
        title="Origens autorizadas (CORS)"
        description="Páginas abertas dentro do app (WebViews) podem chamar a API do cliente pelo navegador só a partir destas origens. Servidores não precisam de cadastro aqui."
      />
      <Stack gap="lg">
        {podeAdministrar ? (
          <Paper withBorder radius="md" p="lg">
            <AddOrigemForm clienteId={clienteId} />
          </Paper>
        ) : (
          <Text size="sm" c="dimmed">
            Só administradores do cliente alteram as origens.
          </Text>
        )}
        {origens.isPending ? (
          <TableSkeleton rows={3} />
        ) : origens.isError ? (
          <ErrorAlert error={origens.error} title="Não foi possível carregar as origens" />
        ) : origens.data.length === 0 ? (
          <EmptyState
            icon={<IconWorld size={28} />}
            title="Nenhuma origem cadastrada"
            description="Enquanto a lista estiver vazia, navegadores não conseguem chamar /clientes/… — chamadas de servidor continuam funcionando. Adicione acima a origem das suas páginas."
          />
        ) : (
          <Paper withBorder radius="md">
            <Table highlightOnHover aria-label="Origens autorizadas">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Origem</Table.Th>
                  <Table.Th>Cadastrada em</Table.Th>
                  <Table.Th w={60}>
                    <span className="sr-only">Ações</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {origens.data.map((origem) => (
                  <Table.Tr key={origem.id}>
                    <Table.Td>
                      <Code>{origem.origem}</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(origem.criadaEm)}</Text>
                    </Table.Td>
                    <Table.Td>
                      {podeAdministrar ? (
                        <Tooltip label="Remover">
                          <ActionIcon variant="subtle" color="red" onClick={() => setRemoving(origem)} aria-label={`Remover a origem ${origem.origem}`}>
                            <IconTrash size={18} />
                          </ActionIcon>
                        </Tooltip>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        )}
      </Stack>
      <ConfirmDialog
        opened={removing !== null}
        title="Remover origem"
        confirmLabel="Remover origem"
        loading={remove.isPending}
        onClose={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.id, {
            onSuccess: () => {
              notifySuccess(`Origem ${removing.origem} removida.`);
              setRemoving(null);
            },
            onError: (error) => notifyError(error),
          })
        }
      >
        <Text size="sm">
          Páginas em <Code>{removing?.origem}</Code> deixam de conseguir chamar a API do cliente pelo navegador.
        </Text>
      </ConfirmDialog>
    </>
  );
}

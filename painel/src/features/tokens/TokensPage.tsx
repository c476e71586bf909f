import { CopyField } from '../../components/CopyField.tsx';
import { ActionIcon, Badge, Button, Code, Group, Paper, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Token } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { notifyError, notifySuccess } from '../../lib/errors.ts';
import { useCliente } from '../shell/workspace.tsx';
import { apiLabels, useRevokeToken, useTokens } from './api.ts';
import { CreateTokenModal } from './CreateTokenModal.tsx';

export function TokensPage() {
  const { clienteId, clienteCodigo, podeAdministrar } = useCliente();
  const tokens = useTokens(clienteId);
  const revoke = useRevokeToken(clienteId);
  const [creating, { open, close }] = useDisclosure(false);
  const [revoking, setRevoking] = useState<Token | null>(null);

  const newButton = podeAdministrar ? (
    <Button leftSection={<IconPlus size={16} />} onClick={open}>
      Novo token
    </Button>
  ) : (
    <Tooltip label="Só administradores do cliente criam tokens">
      <Button leftSection={<IconPlus size={16} />} disabled>
        Novo token
      </Button>
    </Tooltip>
  );

  return (
    <>
      <PageHeader
        title="APIs — tokens do cliente"
        description={`Tokens que os servidores da operadora usam para chamar a API do cliente (/clientes/…). O token completo aparece só na criação; aqui fica o prefixo para reconhecê-lo. Os tokens temporários gerados com eles trazem idCliente ${clienteCodigo ?? '—'} (o código deste cliente).`}
        actions={newButton}
      />
      {tokens.isPending ? (
        <TableSkeleton />
      ) : tokens.isError ? (
        <ErrorAlert error={tokens.error} title="Não foi possível carregar os tokens" />
      ) : tokens.data.length === 0 ? (
        <EmptyState
          icon={<IconKey size={28} />}
          title="Nenhum token criado"
          description="Crie um token para que o backend da operadora consulte a chave passe e gere tokens temporários."
          action={podeAdministrar ? <Button onClick={open}>Criar o primeiro token</Button> : undefined}
        />
      ) : (
        <Paper withBorder radius="md">
          <Table highlightOnHover aria-label="Tokens do cliente">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Prefixo</Table.Th>
                <Table.Th>Id (para a CLI)</Table.Th>
                <Table.Th>Descrição</Table.Th>
                <Table.Th>APIs</Table.Th>
                <Table.Th>Criado</Table.Th>
                <Table.Th>Último uso</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th w={60}>
                  <span className="sr-only">Ações</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((token) => (
                <Table.Tr key={token.id} c={token.revogadoEm ? 'dimmed' : undefined}>
                  <Table.Td>
                    <Code>{token.prefixo}…</Code>
                  </Table.Td>
                  <Table.Td>
                    <CopyField value={token.id} label={`Copiar o id do token ${token.prefixo}`} />
                  </Table.Td>
                  <Table.Td>{token.descricao || <Text c="dimmed" size="sm">sem descrição</Text>}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {token.apis.map((a) => (
                        <Badge key={a} variant="light" size="sm">
                          {apiLabels[a].nome}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>{formatDateTime(token.criadoEm)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={formatDateTime(token.ultimoUsoEm)} disabled={!token.ultimoUsoEm}>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {token.ultimoUsoEm ? formatRelative(token.ultimoUsoEm) : 'nunca usado'}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    {token.revogadoEm ? (
                      <Tooltip label={`Revogado em ${formatDateTime(token.revogadoEm)}`}>
                        <Badge color="gray" variant="light">
                          Revogado
                        </Badge>
                      </Tooltip>
                    ) : (
                      <Badge color="teal" variant="light">
                        Ativo
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {podeAdministrar && !token.revogadoEm ? (
                      <Tooltip label="Revogar">
                        <ActionIcon variant="subtle" color="red" onClick={() => setRevoking(token)} aria-label={`Revogar o token ${token.prefixo}`}>
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
      <CreateTokenModal clienteId={clienteId} opened={creating} onClose={close} />
      <ConfirmDialog
        opened={revoking !== null}
        title="Revogar token"
        confirmLabel="Revogar token"
        loading={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              notifySuccess(`O token ${revoking.prefixo}… foi revogado.`);
              setRevoking(null);
            },
            onError: (error) => notifyError(error),
          })
        }
      >
        <Text size="sm">
          O token <Code>{revoking?.prefixo}…</Code> e os tokens temporários gerados com ele deixam de funcionar em instantes. Sistemas que ainda o usam passam a
          receber 401. Esta ação não pode ser desfeita.
        </Text>
      </ConfirmDialog>
    </>
  );
}

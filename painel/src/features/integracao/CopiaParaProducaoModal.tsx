import { Alert, Badge, Button, Code, Group, List, Modal, Paper, Skeleton, Stack, Switch, Table, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconArrowRight, IconCircleCheck, IconCopy, IconInfoCircle, IconLock, IconLockOpen } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '../../api/client.ts';
import type { ComparacaoCopia, ItemDaCopia } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../lib/errors.ts';
import { useCliente } from '../shell/workspace.tsx';
import { useAplicarCopia, useComparacao } from './copia-api.ts';

/** All the server ever says about a secret header, on each side: never its value, never whether the two are equal. */
const SEGREDO_DEFINIDO = 'segredo definido';
const SEGREDO_NAO_DEFINIDO = 'não definido';

/** A value in the comparison: secrets as a lock badge (defined or not), empty as a dash, URLs in monospace. */
function Valor({ valor, campo }: { valor: string | null; campo: string }) {
  if (valor === null) {
    return (
      <Text size="sm" c="dimmed">
        {campo.endsWith('.url') ? '— (URL base + sufixo)' : '—'}
      </Text>
    );
  }
  if (campo.startsWith('headers.') && valor === SEGREDO_DEFINIDO) {
    return (
      <Tooltip label="Valor cifrado: nunca é exibido nem comparado com o da outra instância" withArrow>
        <Badge variant="light" color="gray" leftSection={<IconLock size={12} />} style={{ textTransform: 'none' }}>
          {valor}
        </Badge>
      </Tooltip>
    );
  }
  if (campo.startsWith('headers.') && valor === SEGREDO_NAO_DEFINIDO) {
    return (
      <Badge variant="outline" color="gray" leftSection={<IconLockOpen size={12} />} style={{ textTransform: 'none' }}>
        {valor}
      </Badge>
    );
  }
  if (/^https?:\/\//.test(valor)) {
    return (
      <Code fz="xs" style={{ wordBreak: 'break-all' }}>
        {valor}
      </Code>
    );
  }
  return <Text size="sm">{valor}</Text>;
}

function ComparacaoTable({ itens, mostrarIguais, avisos, bloqueados }: { itens: ItemDaCopia[]; mostrarIguais: boolean; avisos: Set<string>; bloqueados: Set<string> }) {
  const shown = mostrarIguais ? itens : itens.filter((i) => i.muda || i.observacao || bloqueados.has(i.campo));
  return (
    <Paper withBorder radius="md">
      <Table verticalSpacing="xs" aria-label="Diferenças entre Sandbox e Produção">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="24%">Item</Table.Th>
            <Table.Th w="34%">Sandbox (será copiado)</Table.Th>
            <Table.Th w={24}>
              <span className="sr-only">para</span>
            </Table.Th>
            <Table.Th>Produção hoje</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((item) => (
            <Table.Tr key={item.campo} bg={bloqueados.has(item.campo) ? 'red.0' : item.muda ? 'orange.0' : undefined} data-muda={item.muda ? 'true' : undefined}>
              <Table.Td valign="top">
                <Group gap={6} wrap="nowrap" align="flex-start">
                  <Text size="sm" fw={500}>
                    {item.rotulo}
                  </Text>
                  {bloqueados.has(item.campo) ? (
                    <Badge size="xs" color="red" variant="light">
                      bloqueia
                    </Badge>
                  ) : item.muda ? (
                    <Badge size="xs" color="orange" variant="light">
                      muda
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td valign="top">
                <Valor valor={item.sandbox} campo={item.campo} />
              </Table.Td>
              <Table.Td valign="top">
                <IconArrowRight size={14} color={item.muda ? 'var(--mantine-color-orange-7)' : 'var(--mantine-color-gray-5)'} aria-hidden />
              </Table.Td>
              <Table.Td valign="top">
                <Valor valor={item.producao} campo={item.campo} />
                {item.observacao ? (
                  <Text size="xs" c={avisos.has(item.observacao) ? 'yellow.9' : 'dimmed'} mt={4}>
                    {/* The full explanation is already in the warning above the table. */}
                    {avisos.has(item.observacao) ? 'Fica como está em Produção — veja o aviso acima.' : item.observacao}
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function Comparacao({ comparacao, mostrarIguais, setMostrarIguais }: { comparacao: ComparacaoCopia; mostrarIguais: boolean; setMostrarIguais: (v: boolean) => void }) {
  const iguais = comparacao.itens.filter((i) => !i.muda && !i.observacao).length;
  return (
    <Stack gap="sm">
      {comparacao.problemas.length > 0 ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="A cópia está bloqueada" role="alert">
          <List size="sm" spacing={4}>
            {comparacao.problemas.map((p) => (
              <List.Item key={p.campo + p.mensagem}>{p.mensagem}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {comparacao.avisos.length > 0 ? (
        <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} title="O que a cópia deixa como está">
          <List size="sm" spacing={4}>
            {comparacao.avisos.map((a) => (
              <List.Item key={a.campo}>{a.mensagem}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {comparacao.itens.length > 0 ? (
        <>
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {comparacao.mudancas === 0 ? 'Produção já está igual à Sandbox.' : `${comparacao.mudancas} ${comparacao.mudancas === 1 ? 'item muda' : 'itens mudam'} em Produção.`}
              {!mostrarIguais && iguais > 0 ? (
                <Text span size="sm" c="dimmed" fw={400}>
                  {' '}
                  {iguais} {iguais === 1 ? 'item igual oculto' : 'itens iguais ocultos'}.
                </Text>
              ) : null}
            </Text>
            <Switch size="sm" label="Mostrar itens sem mudança" checked={mostrarIguais} onChange={(event) => setMostrarIguais(event.currentTarget.checked)} />
          </Group>
          <ComparacaoTable
            itens={comparacao.itens}
            mostrarIguais={mostrarIguais}
            avisos={new Set(comparacao.avisos.map((a) => a.mensagem))}
            bloqueados={new Set(comparacao.problemas.map((p) => p.campo))}
          />
          <Text size="xs" c="dimmed">
            Valores secretos nunca são exibidos nem comparados: cada lado diz só se há um segredo definido. A Ponte os copia e cifra de novo para Produção no servidor,
            valendo para as mesmas URLs da Sandbox. Grupos de autorização e formulários não são copiados — cada instância tem os seus, ligados pelo mesmo nome.
          </Text>
        </>
      ) : null}
    </Stack>
  );
}

/**
 * Reviews the copy of the Sandbox integração to Produção — a table of what changes, blocking
 * problems and what stays — and applies it on confirmation.
 */
export function CopiaParaProducaoModal({ clienteId, opened, onClose, onVerProducao }: { clienteId: string; opened: boolean; onClose: () => void; onVerProducao: () => void }) {
  const comparacao = useComparacao(clienteId, opened);
  const aplicar = useAplicarCopia(clienteId);
  const [mostrarIguais, setMostrarIguais] = useState(false);
  const aplicada = aplicar.isSuccess;
  const stale = aplicar.error instanceof ApiError && aplicar.error.status === 409;

  const close = () => {
    aplicar.reset();
    setMostrarIguais(false);
    onClose();
  };

  const confirmar = () =>
    comparacao.data &&
    aplicar.mutate(comparacao.data.versaoProducao, {
      onSuccess: () => notifySuccess('A configuração da Sandbox foi copiada para Produção.'),
    });

  const podeConfirmar = Boolean(comparacao.data?.podeAplicar) && !stale;
  const bloqueio = !comparacao.data
    ? null
    : comparacao.data.problemas.length > 0
      ? 'Resolva os problemas listados antes de copiar.'
      : comparacao.data.mudancas === 0
        ? 'Nada a copiar: Produção já está igual à Sandbox.'
        : null;

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Copiar a integração da Sandbox para Produção</Text>} size={1100} centered>
      {aplicada ? (
        <Stack align="center" gap="sm" py="lg">
          <ThemeIcon size={52} radius="xl" variant="light" color="teal">
            <IconCircleCheck size={30} />
          </ThemeIcon>
          <Text fw={600}>Produção agora usa a configuração da Sandbox</Text>
          <Text size="sm" c="dimmed" ta="center" maw={560}>
            A mudança vale para as próximas chamadas do app em Produção e ficou registrada na auditoria. Confira a integração de Produção e rode o validador nela antes de
            liberar o app.
          </Text>
          {comparacao.data && comparacao.data.avisos.length > 0 ? (
            <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} maw={720}>
              <List size="sm" spacing={4}>
                {comparacao.data.avisos.map((a) => (
                  <List.Item key={a.campo}>{a.mensagem}</List.Item>
                ))}
              </List>
            </Alert>
          ) : null}
          <Group mt="sm">
            <Button variant="default" onClick={close}>
              Fechar
            </Button>
            <Button
              color="orange"
              rightSection={<IconArrowRight size={16} />}
              onClick={() => {
                close();
                onVerProducao();
              }}
              data-autofocus
            >
              Ver Produção
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Revise o que muda em Produção. A cópia é conferida com as regras de Produção (https e endereço público) e substitui URLs, tempo limite e headers estáticos de
            Produção pelos da Sandbox.
          </Text>
          {comparacao.isPending ? (
            <Stack gap="xs" aria-busy="true" aria-label="Comparando">
              <Skeleton height={18} width="40%" />
              {Array.from({ length: 6 }, (_, i) => (
                <Skeleton key={i} height={32} />
              ))}
            </Stack>
          ) : comparacao.isError ? (
            <ErrorAlert error={comparacao.error} title="Não foi possível comparar as instâncias" />
          ) : (
            <Comparacao comparacao={comparacao.data} mostrarIguais={mostrarIguais} setMostrarIguais={setMostrarIguais} />
          )}
          {aplicar.isError ? (
            <ErrorAlert error={aplicar.error} details={aplicar.error instanceof ApiError ? aplicar.error.details : []} title={stale ? 'Produção mudou enquanto você revisava' : 'A cópia não foi feita'} />
          ) : null}
          {/* The modal scrolls as a whole; the decision stays in view at its bottom. */}
          <Group
            justify="flex-end"
            py="sm"
            style={{ position: 'sticky', bottom: 0, zIndex: 1, background: 'var(--mantine-color-body)', borderTop: '1px solid var(--mantine-color-gray-3)' }}
          >
            <Button variant="default" onClick={close}>
              Cancelar
            </Button>
            {stale ? (
              <Button
                variant="light"
                onClick={() => {
                  aplicar.reset();
                  void comparacao.refetch();
                }}
              >
                Comparar de novo
              </Button>
            ) : null}
            <Tooltip label={bloqueio ?? ''} disabled={!bloqueio} withArrow>
              <Button
                color="orange"
                leftSection={<IconCopy size={16} />}
                loading={aplicar.isPending}
                // data-disabled (not disabled) keeps the tooltip that says why it cannot be used.
                data-disabled={podeConfirmar ? undefined : true}
                aria-disabled={podeConfirmar ? undefined : true}
                onClick={() => podeConfirmar && confirmar()}
              >
                Confirmar cópia para Produção
              </Button>
            </Tooltip>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** The "Copiar para Produção" action of the Integração header, with its dialog. */
export function CopiarParaProducaoButton() {
  const { clienteId, podeEditar, setInstancia } = useCliente();
  const [opened, { open, close }] = useDisclosure(false);
  if (!podeEditar) {
    return (
      <Tooltip label="Só editores e administradores copiam a configuração para Produção">
        <Button variant="light" color="orange" leftSection={<IconCopy size={16} />} data-disabled aria-disabled onClick={(event) => event.preventDefault()}>
          Copiar para Produção
        </Button>
      </Tooltip>
    );
  }
  return (
    <>
      <Button variant="light" color="orange" leftSection={<IconCopy size={16} />} onClick={open}>
        Copiar para Produção
      </Button>
      <CopiaParaProducaoModal clienteId={clienteId} opened={opened} onClose={close} onVerProducao={() => setInstancia(2)} />
    </>
  );
}

import { ActionIcon, Alert, Badge, Button, CopyButton, Group, Indicator, Pagination, Paper, Spoiler, Stack, Switch, Table, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconDeviceMobile, IconInfoCircle, IconMail, IconMessage, IconRefresh } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Cliente, MensagemCaixaDeSaida } from '../../api/types.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { useCliente } from '../shell/workspace.tsx';
import { codigoDe, partesDe, POR_PAGINA, REFRESH_MS, useCaixaDeSaida } from './api.ts';

const timeOnly = new Intl.DateTimeFormat('pt-BR', { timeStyle: 'medium' });
const NOVA_MS = 60_000;

/** The recovery code, big, with a copy button: what a developer came here for. */
function Codigo({ codigo }: { codigo: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text ff="monospace" fw={700} fz={22} style={{ letterSpacing: 3 }} data-testid="codigo">
        {codigo}
      </Text>
      <CopyButton value={codigo} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copiado' : 'Copiar código'} withArrow>
            <ActionIcon variant="light" color={copied ? 'teal' : 'indigo'} onClick={copy} aria-label={`Copiar o código ${codigo}`}>
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

function Mensagem({ mensagem }: { mensagem: MensagemCaixaDeSaida }) {
  const { assunto, corpo } = partesDe(mensagem.canal, mensagem.texto);
  return (
    <Stack gap={2}>
      {assunto ? (
        <Text size="sm" fw={600}>
          {assunto}
        </Text>
      ) : null}
      <Spoiler maxHeight={44} showLabel="ver texto completo" hideLabel="recolher" styles={{ control: { fontSize: 'var(--mantine-font-size-xs)' } }}>
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
          {corpo.replace(/\n{2,}/g, '\n')}
        </Text>
      </Spoiler>
    </Stack>
  );
}

/** "atualizado às 14:03:12", ticking so the indicator says the truth between polls. */
function RefreshStatus({ autoRefresh, updatedAt, fetching }: { autoRefresh: boolean; updatedAt: number; fetching: boolean }) {
  return (
    <Group gap="xs" wrap="nowrap" role="status" aria-live="polite">
      <Indicator processing={autoRefresh} color={autoRefresh ? 'teal' : 'gray'} size={10} position="middle-center" inline>
        <span style={{ display: 'inline-block', width: 10, height: 10 }} />
      </Indicator>
      <Text size="sm" c="dimmed">
        {autoRefresh ? `Atualizando a cada ${REFRESH_MS / 1000} s` : 'Atualização automática pausada'}
        {updatedAt ? ` · ${fetching ? 'buscando…' : `atualizado às ${timeOnly.format(updatedAt)}`}` : ''}
      </Text>
    </Group>
  );
}

export function CaixaDeSaidaPage() {
  const { clienteId, instancia, instanciaNome } = useCliente();
  const [pagina, setPagina] = useState(1);
  const [autoRefresh, setAutoRefresh] = useState(true);
  const caixa = useCaixaDeSaida(clienteId, instancia, pagina, autoRefresh);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    // Keeps "há 2 minutos" and the "nova" badge honest between polls.
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => setPagina(1), [clienteId, instancia]);

  // The same query the sidebar's "App demo" link uses: the instância's public app id.
  const clientes = useQuery({ queryKey: ['clientes', 'lista', clienteId], queryFn: () => api.get<{ clientes: Cliente[] }>('/clientes'), staleTime: 5 * 60_000 });
  const appId = clientes.data?.clientes.find((c) => c.id === clienteId)?.instancias.find((i) => i.numero === instancia)?.appId;

  const totalPaginas = caixa.data ? Math.max(1, Math.ceil(caixa.data.total / POR_PAGINA)) : 1;

  return (
    <>
      <PageHeader
        title="Caixa de saída (desenvolvimento)"
        badge={<InstanciaBadge />}
        description="Os códigos de 6 dígitos do “Esqueci minha senha” do app, por e-mail e SMS, que a Ponte guardou aqui em vez de enviar. Use-os para testar o fluxo de recuperação sem um servidor de e-mail nem um provedor de SMS."
        actions={
          <Button variant="default" leftSection={<IconRefresh size={16} />} loading={caixa.isFetching && !caixa.isPending} onClick={() => void caixa.refetch()}>
            Atualizar agora
          </Button>
        }
      />
      <Stack gap="md">
        <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />} title="Quando as mensagens chegam aqui">
          <Text size="sm">
            Fora de produção, sem SMTP configurado, os e-mails de recuperação de senha caem nesta caixa; com <code>PONTE_SMTP_URL</code> configurado eles saem de verdade e
            não aparecem aqui. Os SMS ficam aqui enquanto não houver um provedor de SMS. Em produção nada é guardado: um canal sem envio configurado responde com erro ao app.
          </Text>
        </Alert>

        <Group justify="space-between">
          <RefreshStatus autoRefresh={autoRefresh} updatedAt={caixa.dataUpdatedAt} fetching={caixa.isFetching} />
          <Switch label="Atualizar automaticamente" checked={autoRefresh} onChange={(event) => setAutoRefresh(event.currentTarget.checked)} />
        </Group>

        {caixa.isPending ? (
          <TableSkeleton rows={4} />
        ) : caixa.isError ? (
          <ErrorAlert error={caixa.error} title="Não foi possível carregar a caixa de saída" />
        ) : caixa.data.total === 0 ? (
          <EmptyState
            icon={<IconMail size={28} />}
            title={`Nenhuma mensagem na instância ${instanciaNome}`}
            description={
              <>
                Quando alguém pedir um código em “Esqueci minha senha” no app desta instância, o e-mail ou SMS com o código aparece aqui em até {REFRESH_MS / 1000} segundos —
                esta tela se atualiza sozinha. Com SMTP configurado, os e-mails são enviados de verdade e não passam por aqui.
              </>
            }
            action={
              appId ? (
                <Button component="a" href={`/demo?app=${encodeURIComponent(appId)}`} target="_blank" variant="light" leftSection={<IconDeviceMobile size={16} />}>
                  Abrir o app demo e pedir um código
                </Button>
              ) : undefined
            }
          />
        ) : (
          <>
            <Paper withBorder radius="md">
              <Table verticalSpacing="sm" highlightOnHover aria-label="Mensagens da caixa de saída">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={130}>Quando</Table.Th>
                    <Table.Th w={96}>Canal</Table.Th>
                    <Table.Th w={250}>Destinatário</Table.Th>
                    <Table.Th>Mensagem</Table.Th>
                    <Table.Th w={170}>Código</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {caixa.data.itens.map((mensagem) => {
                    const codigo = codigoDe(mensagem.texto);
                    const nova = now - mensagem.criadaEm < NOVA_MS;
                    return (
                      <Table.Tr key={mensagem.id}>
                        <Table.Td valign="top">
                          <Tooltip label={formatDateTime(mensagem.criadaEm)}>
                            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                              {formatRelative(mensagem.criadaEm, now)}
                            </Text>
                          </Tooltip>
                          {nova ? (
                            <Badge size="xs" color="teal" variant="filled" mt={4}>
                              nova
                            </Badge>
                          ) : null}
                        </Table.Td>
                        <Table.Td valign="top">
                          <Badge variant="light" color={mensagem.canal === 'email' ? 'indigo' : 'grape'} leftSection={mensagem.canal === 'email' ? <IconMail size={12} /> : <IconMessage size={12} />}>
                            {mensagem.canal === 'email' ? 'E-mail' : 'SMS'}
                          </Badge>
                        </Table.Td>
                        <Table.Td valign="top">
                          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                            {mensagem.destino}
                          </Text>
                        </Table.Td>
                        <Table.Td valign="top">
                          <Mensagem mensagem={mensagem} />
                        </Table.Td>
                        <Table.Td valign="top">{codigo ? <Codigo codigo={codigo} /> : <Text size="sm" c="dimmed">sem código</Text>}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Paper>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {caixa.data.total} {caixa.data.total === 1 ? 'mensagem' : 'mensagens'}, da mais recente à mais antiga
              </Text>
              {totalPaginas > 1 ? <Pagination total={totalPaginas} value={pagina} onChange={setPagina} size="sm" aria-label="Páginas da caixa de saída" /> : null}
            </Group>
          </>
        )}
      </Stack>
    </>
  );
}

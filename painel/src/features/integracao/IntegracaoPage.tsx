import { useEffect, useRef } from 'react';
import { ActionIcon, Alert, Badge, Button, Code, Group, NumberInput, Paper, PasswordInput, Select, Stack, Switch, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconArrowRight, IconDeviceFloppy, IconInfoCircle, IconLock, IconLockExclamation, IconPlus, IconTrash } from '@tabler/icons-react';
import { queryOrFragmentProblem } from '../../../../src/modules/integracoes/integracao-url.ts';
import type { Grupo, Instancia, Integracao, IntegracaoEntrada, ListaFormularios, MetodoIntegracao } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { FormSkeleton } from '../../components/TableSkeleton.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { errorMessage, notifySuccess } from '../../lib/errors.ts';
import { useUnsavedChangesGuard } from '../../lib/unsaved-changes.tsx';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { useFormularios } from '../formularios/api.ts';
import { useGrupos } from '../grupos/api.ts';
import { useCliente } from '../shell/workspace.tsx';
import { terminaComSufixo, urlEfetiva, useIntegracao, useSaveIntegracao } from './api.ts';
import { CopiarParaProducaoButton } from './CopiaParaProducaoModal.tsx';
import { ElegibilidadePanel } from './ElegibilidadePanel.tsx';
import { listaDeOrigens, origensDe, origensNovas } from './origem.ts';
import { corDeTexto } from '../../theme.ts';

type HeaderRow = {
  /** React key only. */
  key: string;
  nome: string;
  valor: string;
  secreto: boolean;
  /** A secret whose value the server already keeps (and never shows). */
  definido: boolean;
  /** The user chose to type a new value for a stored secret. */
  substituir: boolean;
};

type Values = {
  baseUrl: string;
  timeoutMs: number | string;
  grupoId: string | null;
  metodos: Record<MetodoIntegracao, { url: string; formularioId: string | null }>;
  headers: HeaderRow[];
  /** The grupo's senha, asked for only when its tokens would go to another site (the server says so at this field). */
  senhaGrupo: string;
};

/** The server's limits (integracoes.schemas.ts): typing stops there instead of a 413 or a refusal. */
export const limitesIntegracao = { url: 2048, nomeHeader: 128, valorHeader: 8192, senhaGrupo: 500 } as const;

/** Names the server refuses, with its reasons (platform/http/header-names.ts, integracoes.service.ts). */
const headersDeControle = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'upgrade', 'expect']);

export function problemaNoNomeDoHeader(valor: string): string | null {
  const nome = valor.trim();
  if (!nome) return 'Informe o nome do header.';
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(nome)) return `"${nome.slice(0, 60)}" não é um nome de header HTTP válido (sem espaços, acentos nem dois-pontos).`;
  if (nome.toLowerCase() === 'authorization')
    return '"Authorization" é reservado ao grupo de autorização: cadastre as credenciais em Segurança → Grupos de autorização e vincule o grupo a esta integração.';
  if (headersDeControle.has(nome.toLowerCase())) return `"${nome}" é um header de controle do HTTP e não pode ser configurado.`;
  return null;
}

let nextKey = 0;
const rowKey = () => `h${++nextKey}`;

function toValues(integracao: Integracao): Values {
  const metodos = Object.fromEntries(integracao.metodos.map((m) => [m.metodo, { url: m.url ?? '', formularioId: m.formularioId }])) as Values['metodos'];
  return {
    baseUrl: integracao.baseUrl ?? '',
    timeoutMs: integracao.timeoutMs,
    grupoId: integracao.grupoId,
    metodos,
    headers: integracao.headers.map((h) => ({ key: rowKey(), nome: h.nome, valor: h.valor ?? '', secreto: h.secreto, definido: h.secreto, substituir: false })),
    senhaGrupo: '',
  };
}

/**
 * Stored secrets are sealed for the origins the saved integração calls: when the form points a
 * URL at an origin not among them, every stored secret must be typed again (the server refuses
 * otherwise, at each `headers[i].valor`). Returns the saved and the new origins when that is so.
 */
function destinoMudado(integracao: Integracao, values: Values): { salvas: string[]; atuais: string[]; novas: string[] } | null {
  const salvas = origensDe(integracao.metodos.map((m) => m.urlEfetiva));
  const atuais = origensDe(integracao.metodos.map((m) => urlEfetiva(values.baseUrl, values.metodos[m.metodo].url, m.sufixo)));
  const novas = origensNovas(salvas, atuais);
  return novas.length > 0 ? { salvas, atuais, novas } : null;
}

/** A secret the server keeps and the user has not touched: sent without `valor`. */
const guardado = (h: HeaderRow) => h.secreto && h.definido && !h.substituir && h.valor === '';

const mensagemDestino = (mudou: { salvas: string[]; atuais: string[] }) =>
  `A URL mudou de origem (de ${listaDeOrigens(mudou.salvas)} para ${listaDeOrigens(mudou.atuais)}): digite o valor de novo para enviá-lo ao novo endereço.`;

function toBody(values: Values): IntegracaoEntrada {
  return {
    baseUrl: values.baseUrl.trim() || null,
    ...(values.timeoutMs !== '' ? { timeoutMs: Number(values.timeoutMs) } : {}),
    grupoId: values.grupoId || null,
    metodos: Object.fromEntries(
      Object.entries(values.metodos).map(([metodo, m]) => [metodo, { url: m.url.trim() || null, formularioId: m.formularioId || null }]),
    ) as IntegracaoEntrada['metodos'],
    // A stored secret not being replaced goes without `valor`: the server keeps it.
    headers: values.headers.map((h) => (guardado(h) ? { nome: h.nome.trim(), secreto: true } : { nome: h.nome.trim(), valor: h.valor, secreto: h.secreto })),
    ...(values.senhaGrupo && values.grupoId ? { senhaGrupo: values.senhaGrupo } : {}),
  };
}

function HeadersEditor({ form, disabled, mudou }: { form: ReturnType<typeof useForm<Values>>; disabled: boolean; mudou: ReturnType<typeof destinoMudado> }) {
  const rows = form.values.headers;
  const aRedigitar = mudou ? rows.filter((r) => r.secreto && r.definido && !r.substituir).length : 0;
  return (
    <Stack gap="sm">
      {aRedigitar > 0 && mudou ? (
        <Alert color="orange" variant="light" icon={<IconLockExclamation size={18} />} title="Digite de novo os valores secretos" data-testid="segredos-nova-origem">
          A integração passará a chamar {listaDeOrigens(mudou.novas)}. {aRedigitar === 1 ? 'O valor secreto guardado só vale' : 'Os valores secretos guardados só valem'} para{' '}
          {listaDeOrigens(mudou.salvas)}: digite {aRedigitar === 1 ? 'o valor marcado abaixo' : `os ${aRedigitar} valores marcados abaixo`} para salvar, ou volte as URLs
          para a origem anterior.
        </Alert>
      ) : null}
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nenhum header estático. Eles seguem em toda chamada à operadora (ex.: uma chave de API fixa).
        </Text>
      ) : (
        <Table withTableBorder verticalSpacing="xs" aria-label="Headers estáticos">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="32%">Nome</Table.Th>
              <Table.Th>Valor</Table.Th>
              <Table.Th w={110}>Secreto</Table.Th>
              <Table.Th w={50}>
                <span className="sr-only">Remover</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row, index) => (
              <Table.Tr key={row.key}>
                <Table.Td valign="top">
                  <TextInput aria-label={`Nome do header ${index + 1}`} placeholder="X-Api-Key" readOnly={disabled} maxLength={limitesIntegracao.nomeHeader} {...form.getInputProps(`headers.${index}.nome`)} />
                </Table.Td>
                <Table.Td valign="top">
                  {row.secreto && row.definido && !row.substituir && row.valor === '' && !mudou && !form.errors[`headers.${index}.valor`] ? (
                    <Group gap="sm" wrap="nowrap" h={36}>
                      <Tooltip label="Valor guardado cifrado; nunca é exibido">
                        <Badge color="gray" variant="light" leftSection={<IconLock size={12} />}>
                          definido
                        </Badge>
                      </Tooltip>
                      <Button size="compact-xs" variant="subtle" disabled={disabled} onClick={() => form.setFieldValue(`headers.${index}.substituir`, true)}>
                        substituir
                      </Button>
                    </Group>
                  ) : row.secreto ? (
                    <PasswordInput
                      aria-label={`Valor secreto do header ${index + 1}`}
                      placeholder={row.definido ? 'Novo valor (substitui o guardado)' : 'Valor secreto'}
                      autoComplete="new-password"
                      readOnly={disabled}
                      maxLength={limitesIntegracao.valorHeader}
                      // Below the input, so the row's fields stay aligned.
                      inputWrapperOrder={['label', 'input', 'description', 'error']}
                      description={
                        mudou && row.definido && !row.substituir && !form.errors[`headers.${index}.valor`] ? (
                          <Text span size="xs" c={corDeTexto('orange')}>
                            <IconLockExclamation size={12} style={{ verticalAlign: -1 }} /> Obrigatório: o valor guardado só vale para {listaDeOrigens(mudou.salvas)}.
                          </Text>
                        ) : undefined
                      }
                      {...form.getInputProps(`headers.${index}.valor`)}
                    />
                  ) : (
                    <TextInput aria-label={`Valor do header ${index + 1}`} placeholder="valor" readOnly={disabled} maxLength={limitesIntegracao.valorHeader} {...form.getInputProps(`headers.${index}.valor`)} />
                  )}
                </Table.Td>
                <Table.Td valign="top">
                  <Switch
                    mt={8}
                    aria-label={`Header ${index + 1} é secreto`}
                    checked={row.secreto}
                    disabled={disabled}
                    onChange={(event) => {
                      const secreto = event.currentTarget.checked;
                      form.setFieldValue(`headers.${index}.secreto`, secreto);
                      // Turning a stored secret into a plain header needs its value typed again.
                      if (!secreto && row.definido) form.setFieldValue(`headers.${index}.substituir`, true);
                    }}
                  />
                </Table.Td>
                <Table.Td valign="top">
                  <Tooltip label="Remover header">
                    <ActionIcon mt={4} variant="subtle" color="red" disabled={disabled} onClick={() => form.removeListItem('headers', index)} aria-label={`Remover o header ${index + 1}`}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} />}
          disabled={disabled}
          onClick={() => form.insertListItem('headers', { key: rowKey(), nome: '', valor: '', secreto: false, definido: false, substituir: false } satisfies HeaderRow)}
        >
          Adicionar header
        </Button>
      </Group>
    </Stack>
  );
}

function MetodoRow({ form, metodo, formularios, disabled }: { form: ReturnType<typeof useForm<Values>>; metodo: Integracao['metodos'][number]; formularios: ListaFormularios | undefined; disabled: boolean }) {
  const own = form.values.metodos[metodo.metodo].url;
  const efetiva = urlEfetiva(form.values.baseUrl, own, metodo.sufixo);
  const queryProblem = queryOrFragmentProblem(own.trim());
  const sufixoErrado = own.trim() !== '' && !queryProblem && !terminaComSufixo(own, metodo.sufixo);
  const error = form.errors[`metodos.${metodo.metodo}.url`];
  const finalidade = formularios?.finalidades.find((f) => f.finalidade === metodo.metodo);
  const options = [
    { value: '', label: `Padrão (${finalidade?.padrao.campos.filter((c) => !c.confirma).map((c) => c.nome).join(', ') ?? '…'})` },
    ...(formularios?.formularios.filter((f) => f.finalidade === metodo.metodo).map((f) => ({ value: f.id, label: f.nome })) ?? []),
  ];
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Text fw={600}>{metodo.nome}</Text>
          <Code>{metodo.sufixo}</Code>
        </Group>
      </Group>
      <Group align="flex-start" gap="md" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label="URL própria do método"
          placeholder={form.values.baseUrl.trim() ? 'Vazio: usa a URL base + sufixo' : `https://api.operadora.com.br/mobile${metodo.sufixo}`}
          readOnly={disabled}
          maxLength={limitesIntegracao.url}
          {...form.getInputProps(`metodos.${metodo.metodo}.url`)}
        />
        {metodo.metodo === 'elegibilidade' ? (
          <Text w={280} size="xs" c="dimmed" mt={26}>
            Sem formulário: a Ponte envia <Code fz="xs">chaveUnica</Code> e <Code fz="xs">integracao</Code>.
          </Text>
        ) : (
        <Select
          w={280}
          label="Formulário do app"
          data={options}
          readOnly={disabled}
          allowDeselect={false}
          value={form.values.metodos[metodo.metodo].formularioId ?? ''}
          onChange={(value) => form.setFieldValue(`metodos.${metodo.metodo}.formularioId`, value || null)}
          error={form.errors[`metodos.${metodo.metodo}.formularioId`]}
        />
        )}
      </Group>
      {sufixoErrado && !error ? (
        <Text size="xs" c={corDeTexto('orange')} mt={6} role="status">
          <IconAlertTriangle size={12} style={{ verticalAlign: -1 }} /> O endpoint obrigatoriamente deve terminar com <Code fz="xs">{metodo.sufixo}</Code>.
        </Text>
      ) : null}
      {queryProblem && !error ? (
        <Text size="xs" c={corDeTexto('orange')} mt={6} role="status">
          <IconAlertTriangle size={12} style={{ verticalAlign: -1 }} /> {queryProblem}
        </Text>
      ) : null}
      <Group gap={6} mt={8} wrap="nowrap">
        <IconArrowRight size={14} color="var(--mantine-color-gray-6)" aria-hidden />
        <Text size="xs" c="dimmed">
          Chamada em:
        </Text>
        {efetiva ? (
          <Code fz="xs" data-testid={`url-efetiva-${metodo.metodo}`} style={{ wordBreak: 'break-all' }}>
            {efetiva}
          </Code>
        ) : (
          <Text size="xs" c={corDeTexto('orange')}>
            sem URL — informe a URL base ou a deste método
          </Text>
        )}
      </Group>
    </Paper>
  );
}

function IntegracaoForm({ clienteId, instancia, integracao, grupos, formularios, podeEditar }: { clienteId: string; instancia: Instancia; integracao: Integracao; grupos: Grupo[]; formularios: ListaFormularios | undefined; podeEditar: boolean }) {
  const save = useSaveIntegracao(clienteId, instancia);
  const form = useForm<Values>({
    initialValues: toValues(integracao),
    validate: {
      timeoutMs: (v) => (v === '' || (Number(v) >= 1000 && Number(v) <= 30_000) ? null : `${Number(v).toLocaleString('pt-BR')} ms está fora do intervalo: use de 1.000 a 30.000 ms.`),
      // Saved with no URL at all, the integração would count as configured and call nothing.
      baseUrl: (v, values) =>
        v.trim() || Object.values(values.metodos).some((m) => m.url.trim())
          ? null
          : 'Informe a URL base da API da operadora (ou a URL própria de pelo menos um método): sem ela a integração não chama nada.',
      headers: {
        nome: (v) => problemaNoNomeDoHeader(v),
        // A stored secret left as it is may not follow the URLs to a new origin.
        valor: (_value, values, path) => {
          const row = values.headers[Number(path.split('.')[1])];
          const mudou = destinoMudado(integracao, values);
          return row && guardado(row) && mudou ? mensagemDestino(mudou) : null;
        },
      },
    },
  });
  const { rest, showAlert } = useApiFormErrors(form, save.error);
  const disabled = !podeEditar;
  const dirty = form.isDirty();
  const mudou = destinoMudado(integracao, form.values);
  const guard = useUnsavedChangesGuard(dirty && !disabled, 'As alterações da integração ainda não foram salvas e serão perdidas.');
  // An error no field shows (a 413, a conflict) is brought into view, beside the sticky bar's note.
  const erroGeral = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (showAlert) erroGeral.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [save.error, showAlert]);
  const semUrl = !integracao.metodos.some((m) => m.urlEfetiva);

  const submit = form.onSubmit((values) =>
    save.mutate(toBody(values), {
      onSuccess: () => notifySuccess(`Integração da instância ${instancia === 1 ? 'Sandbox' : 'Produção'} salva.`),
    }),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        {!integracao.configurada || semUrl ? (
          <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />} title="Integração ainda não configurada">
            Informe a URL base da API da operadora (ou a URL de cada método) e salve. Depois, use o validador para conferir cada método contra o contrato.
          </Alert>
        ) : null}
        {showAlert ? (
          <div ref={erroGeral} tabIndex={-1}>
            <ErrorAlert error={save.error} details={rest} title="A integração não foi salva" />
          </div>
        ) : null}

        <Paper withBorder radius="md" p="lg">
          <Title order={4} mb="md">
            Endereço e limites
          </Title>
          <Stack gap="md">
            <TextInput
              label="URL base"
              description={`Cada método é chamado em URL base + sufixo (ex.: …/login), a menos que tenha URL própria. ${instancia === 2 ? 'Produção exige https e endereço público.' : 'Sandbox aceita http.'}`}
              placeholder="https://api.operadora.com.br/mobile"
              readOnly={disabled}
              maxLength={limitesIntegracao.url}
              {...form.getInputProps('baseUrl')}
            />
            {queryOrFragmentProblem(form.values.baseUrl.trim()) && !form.errors.baseUrl ? (
              <Text size="xs" c={corDeTexto('orange')} mt={-8} role="status">
                <IconAlertTriangle size={12} style={{ verticalAlign: -1 }} /> {queryOrFragmentProblem(form.values.baseUrl.trim())}
              </Text>
            ) : null}
            {mudou && form.values.headers.some((h) => h.secreto && h.definido && !h.substituir) ? (
              <Text size="xs" c={corDeTexto('orange')} mt={-8} role="status">
                <IconLockExclamation size={12} style={{ verticalAlign: -1 }} /> Nova origem ({listaDeOrigens(mudou.novas)}): os headers secretos guardados precisam ser digitados
                de novo em Headers estáticos.
              </Text>
            ) : null}
            <Group grow align="flex-start">
              <NumberInput
                label="Tempo limite por chamada (ms)"
                description="De 1.000 a 30.000 ms; padrão 10.000."
                min={1000}
                max={30_000}
                step={500}
                thousandSeparator="."
                decimalSeparator=","
                // Not clamped in silence: a value out of range is refused with the range.
                clampBehavior="none"
                allowDecimal={false}
                allowNegative={false}
                maxLength={6}
                readOnly={disabled}
                {...form.getInputProps('timeoutMs')}
              />
              <Select
                label="Grupo de autorização"
                description="Seus tokens seguem como headers em toda chamada desta integração."
                placeholder="Nenhum"
                data={grupos.map((g) => ({ value: g.id, label: `${g.nome}${g.status === 'falhando' ? ' (falhando)' : ''}` }))}
                clearable={!disabled}
                readOnly={disabled}
                nothingFoundMessage="Nenhum grupo nesta instância"
                {...form.getInputProps('grupoId')}
              />
            </Group>
            {form.errors.senhaGrupo || form.values.senhaGrupo ? (
              <PasswordInput
                label="Senha do grupo de autorização"
                description="Os tokens do grupo só vão para o site do endereço do grupo. Para enviá-los a outro site, confirme com a senha do grupo (ela não é guardada de novo)."
                autoComplete="off"
                maxLength={limitesIntegracao.senhaGrupo}
                readOnly={disabled}
                {...form.getInputProps('senhaGrupo')}
              />
            ) : null}
          </Stack>
        </Paper>

        <Paper withBorder radius="md" p="lg">
          <Title order={4}>Métodos</Title>
          <Text size="sm" c="dimmed" mb="md">
            A URL de cada método deve terminar com o sufixo dele. O formulário define os campos que o app pede e envia ao método.
          </Text>
          <Stack gap="sm">
            {integracao.metodos.map((metodo) => (
              <MetodoRow key={metodo.metodo} form={form} metodo={metodo} formularios={formularios} disabled={disabled} />
            ))}
          </Stack>
        </Paper>

        <Paper withBorder radius="md" p="lg">
          <Title order={4}>Headers estáticos</Title>
          <Text size="sm" c="dimmed" mb="md">
            Enviados em toda chamada. Valores marcados como secretos são cifrados e nunca mais exibidos. Em conflito de nomes valem, nesta ordem, os headers de segurança do usuário, os do grupo e estes.
          </Text>
          <HeadersEditor form={form} disabled={disabled} mudou={mudou} />
        </Paper>

        <Paper withBorder radius="md" p="md" shadow="sm" style={{ position: 'sticky', bottom: 16, zIndex: 2 }}>
          <Group justify="space-between">
            <Text size="sm" c={showAlert ? 'red.8' : dirty ? 'orange.9' : 'dimmed'} role="status" data-testid="barra-integracao">
              {disabled
                ? 'Seu papel permite apenas consultar a integração.'
                : showAlert
                  ? `Não foi salva: ${errorMessage(save.error)}`
                  : dirty
                  ? 'Há alterações não salvas.'
                  : integracao.atualizadoEm
                    ? `Salva em ${formatDateTime(integracao.atualizadoEm)}.`
                    : 'Nada salvo ainda.'}
            </Text>
            <Group gap="sm">
              <Button variant="default" disabled={!dirty || disabled} onClick={() => form.setValues(toValues(integracao))}>
                Descartar alterações
              </Button>
              <Button type="submit" leftSection={<IconDeviceFloppy size={16} />} loading={save.isPending} disabled={disabled}>
                Salvar integração
              </Button>
            </Group>
          </Group>
        </Paper>
      </Stack>
      {guard.dialog}
    </form>
  );
}

export function IntegracaoPage() {
  const { clienteId, instancia, podeEditar } = useCliente();
  const integracao = useIntegracao(clienteId, instancia);
  const grupos = useGrupos(clienteId, instancia);
  const formularios = useFormularios(clienteId, instancia);

  return (
    <>
      <PageHeader
        title="Integração"
        badge={<InstanciaBadge />}
        actions={<CopiarParaProducaoButton />}
        description="Onde a Ponte encontra a API da operadora nesta instância: URLs dos métodos, tempo limite, headers e o grupo de autorização."
      />
      {integracao.isPending || grupos.isPending ? (
        <FormSkeleton fields={5} />
      ) : integracao.isError ? (
        <ErrorAlert error={integracao.error} title="Não foi possível carregar a integração" />
      ) : (
        <Stack gap="lg">
          <IntegracaoForm
            key={`${clienteId}:${instancia}:${integracao.data.atualizadoEm ?? 'nova'}`}
            clienteId={clienteId}
            instancia={instancia}
            integracao={integracao.data}
            grupos={grupos.data ?? []}
            formularios={formularios.data}
            podeEditar={podeEditar}
          />
          {integracao.data.configurada ? (
            <ElegibilidadePanel key={`${clienteId}:${instancia}:elegibilidade`} clienteId={clienteId} instancia={instancia} integracao={integracao.data} podeEditar={podeEditar} />
          ) : null}
        </Stack>
      )}
    </>
  );
}

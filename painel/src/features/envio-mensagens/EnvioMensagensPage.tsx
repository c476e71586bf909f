import { useEffect, useMemo, useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Code, Divider, Group, NumberInput, Paper, PasswordInput, Progress, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconDeviceFloppy, IconLock, IconMail, IconMessage, IconPlus, IconRestore, IconSend, IconTrash, IconX } from '@tabler/icons-react';
import { exemploVariaveis, modelosPadrao, preencher, previaSms } from '../../../../src/modules/mensagens/modelos.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { FormSkeleton } from '../../components/TableSkeleton.tsx';
import { errorMessage, notifySuccess } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useUnsavedChangesGuard } from '../../lib/unsaved-changes.tsx';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { useCliente } from '../shell/workspace.tsx';
import { useEnvioMensagens, useSaveEnvioMensagens, useTesteEnvio, type EnvioMensagens, type EnvioMensagensEntrada, type ResultadoTeste } from './api.ts';

type Provedor = EnvioMensagens['sms']['provedor'];
type HeaderRow = { key: string; nome: string; valor: string; secreto: boolean; definido: boolean; substituir: boolean };
type Values = {
  sms: {
    provedor: Provedor;
    url: string;
    metodo: 'POST' | 'PUT';
    formato: 'json' | 'form';
    corpo: string;
    headers: HeaderRow[];
    sucessoCampo: string;
    remetente: string;
    accountSid: string;
    regiao: string;
    accessKeyId: string;
    timeoutMs: number | string;
    apiToken: string;
    authToken: string;
    secretAccessKey: string;
  };
  email: { remetenteNome: string; remetenteEndereco: string; smtpUrl: string };
  modelos: { sms: string; emailAssunto: string; emailTexto: string };
};

const provedores: { value: Provedor; label: string }[] = [
  { value: 'nenhum', label: 'Nenhum' },
  { value: 'zenvia', label: 'Zenvia' },
  { value: 'twilio', label: 'Twilio' },
  { value: 'sns', label: 'Amazon SNS' },
  { value: 'http', label: 'Gateway HTTP' },
];

const segredoDe: Record<'zenvia' | 'twilio' | 'sns', { campo: 'apiToken' | 'authToken' | 'secretAccessKey'; label: string }> = {
  zenvia: { campo: 'apiToken', label: 'Token da API (X-API-TOKEN)' },
  twilio: { campo: 'authToken', label: 'Auth Token' },
  sns: { campo: 'secretAccessKey', label: 'Secret Access Key' },
};

const corpoExemplo = { json: '{"numero": "{{destino}}", "mensagem": "{{texto}}"}', form: 'to={{destino}}&text={{texto}}' } as const;
let rowKey = 0;
const newKey = () => `h${(rowKey += 1)}`;

function valuesFrom(data: EnvioMensagens): Values {
  const s = data.sms;
  return {
    sms: {
      provedor: s.provedor,
      url: s.url && s.url !== s.urlPadrao ? s.url : '',
      metodo: s.metodo ?? 'POST',
      formato: s.formato ?? 'json',
      corpo: s.corpo ?? corpoExemplo.json,
      headers: s.headers.map((h) => ({ key: newKey(), nome: h.nome, valor: h.valor ?? '', secreto: h.secreto, definido: h.secreto, substituir: false })),
      sucessoCampo: s.sucessoCampo ?? '',
      remetente: s.remetente ?? '',
      accountSid: s.accountSid ?? '',
      regiao: s.regiao ?? 'sa-east-1',
      accessKeyId: s.accessKeyId ?? '',
      timeoutMs: s.timeoutMs,
      apiToken: '',
      authToken: '',
      secretAccessKey: '',
    },
    email: { remetenteNome: data.email.remetenteNome ?? '', remetenteEndereco: data.email.remetenteEndereco ?? '', smtpUrl: '' },
    modelos: { ...data.modelos },
  };
}

/** A stored secret: "definido" with a button to type a new one, or the field itself. */
function SegredoField(props: { label: string; definido: boolean; substituir: boolean; onSubstituir: (v: boolean) => void; disabled: boolean; inputProps: object; description?: string }) {
  if (props.definido && !props.substituir) {
    return (
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {props.label}
        </Text>
        <Group gap="sm">
          <Badge color="teal" variant="light" leftSection={<IconLock size={12} />}>
            Definido
          </Badge>
          <Text size="xs" c="dimmed">
            Guardado cifrado; nunca é exibido.
          </Text>
          {!props.disabled && (
            <Button size="compact-sm" variant="subtle" onClick={() => props.onSubstituir(true)}>
              Substituir
            </Button>
          )}
        </Group>
      </Stack>
    );
  }
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <PasswordInput label={props.label} description={props.description} autoComplete="new-password" disabled={props.disabled} style={{ flex: 1 }} {...props.inputProps} />
      {props.definido && (
        <Button variant="default" onClick={() => props.onSubstituir(false)}>
          Manter o atual
        </Button>
      )}
    </Group>
  );
}

function ContadorSms({ texto, app }: { texto: string; app: string }) {
  const previa = useMemo(() => previaSms(texto, app), [texto, app]);
  const excedeu = previa.segmentos > 1;
  return (
    <Stack gap={6}>
      <Group justify="space-between">
        <Text size="xs" c={excedeu ? 'red' : 'dimmed'} aria-live="polite">
          {previa.caracteres}/{previa.limite} caracteres · {previa.codificacao === 'gsm7' ? 'GSM-7' : 'UCS-2 (caracteres especiais)'} · {previa.segmentos} {previa.segmentos === 1 ? 'segmento' : 'segmentos'}
        </Text>
      </Group>
      <Progress value={Math.min(100, (previa.caracteres / previa.limite) * 100)} color={excedeu ? 'red' : previa.caracteres > previa.limite * 0.9 ? 'yellow' : 'teal'} size="sm" aria-hidden />
      {excedeu && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} p="xs">
          Passa de {previa.limite} caracteres: o SMS chegaria dividido em {previa.segmentos} partes. Encurte o texto para salvar.
        </Alert>
      )}
      <Paper withBorder p="sm" className="painel-superficie">
        <Text size="xs" c="dimmed" mb={4}>
          Prévia (acentos que o GSM-7 não tem são retirados no envio)
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {previa.texto}
        </Text>
      </Paper>
    </Stack>
  );
}

/** Who delivered a test message, as a person reads it (the API answers with the provider's id). */
const provedorLabels: Record<string, string> = {
  'caixa-de-saida': 'caixa de saída (desenvolvimento)',
  'smtp-cliente': 'servidor SMTP próprio',
  'smtp-plataforma': 'servidor SMTP da plataforma',
  zenvia: 'Zenvia',
  twilio: 'Twilio',
  sns: 'Amazon SNS',
  http: 'gateway HTTP',
  nenhum: 'nenhum provedor',
};
const provedorLabel = (provedor: string) => provedorLabels[provedor] ?? provedor;

function ResultadoDoTeste({ resultado }: { resultado: ResultadoTeste }) {
  return resultado.ok ? (
    <Alert color="teal" variant="light" icon={<IconCheck size={18} />} title="Mensagem entregue ao provedor" role="status">
      Enviada para {resultado.destino} via {provedorLabel(resultado.provedor)} em {Math.round(resultado.latenciaMs)} ms
      {resultado.tentativas > 1 ? ` (${resultado.tentativas} tentativas)` : ''}. Confira se ela chegou ao destino.
    </Alert>
  ) : (
    <Alert color="red" variant="light" icon={<IconX size={18} />} title="O envio falhou" role="alert">
      <Text size="sm">Destino: {resultado.destino}. Provedor: {provedorLabel(resultado.provedor)}.</Text>
      {resultado.erro && (
        <Text size="sm" mt={4}>
          Resposta: <Code>{resultado.erro}</Code>
        </Text>
      )}
    </Alert>
  );
}

function TesteDeEnvio({ clienteId, instancia, editado, podeEditar }: { clienteId: string; instancia: 1 | 2; editado: boolean; podeEditar: boolean }) {
  const [canal, setCanal] = useState<'sms' | 'email'>('sms');
  const [destino, setDestino] = useState('');
  const teste = useTesteEnvio(clienteId, instancia);
  const campoInvalido = teste.error ? errorMessage(teste.error) : null;
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="sm">
        <Group gap="xs">
          <IconSend size={20} />
          <Title order={3} size="h4">
            Enviar mensagem de teste
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          Envia o modelo de código (com o código de exemplo 123456) usando a configuração <b>salva</b>. Até 5 testes a cada 10 minutos; cada teste fica na auditoria e na central de logs.
        </Text>
        {editado && (
          <Alert color="yellow" variant="light" p="xs">
            Há alterações não salvas: o teste usa a configuração salva.
          </Alert>
        )}
        <Group align="flex-end" wrap="wrap">
          <SegmentedControl
            aria-label="Canal do teste"
            value={canal}
            onChange={(v) => setCanal(v as 'sms' | 'email')}
            data={[
              { value: 'sms', label: 'SMS' },
              { value: 'email', label: 'E-mail' },
            ]}
          />
          <TextInput
            label={canal === 'sms' ? 'Celular de destino' : 'E-mail de destino'}
            placeholder={canal === 'sms' ? '(11) 99999-0000' : 'voce@operadora.com.br'}
            value={destino}
            maxLength={254}
            onChange={(e) => setDestino(e.currentTarget.value)}
            error={campoInvalido}
            style={{ flex: 1, minWidth: 240 }}
          />
          <Button leftSection={<IconSend size={16} />} loading={teste.isPending} disabled={!podeEditar || destino.trim() === ''} onClick={() => teste.mutate({ canal, destino })}>
            Enviar teste
          </Button>
        </Group>
        {teste.data && <ResultadoDoTeste resultado={teste.data} />}
      </Stack>
    </Paper>
  );
}

export function EnvioMensagensPage() {
  const { clienteId, instancia, podeEditar } = useCliente();
  const query = useEnvioMensagens(clienteId, instancia);
  const save = useSaveEnvioMensagens(clienteId, instancia);
  const [substituirSegredo, setSubstituirSegredo] = useState(false);
  const [smtp, setSmtp] = useState<'manter' | 'substituir' | 'remover'>('manter');
  const [confirmarRemocao, setConfirmarRemocao] = useState(false);
  const form = useForm<Values>({ mode: 'controlled', initialValues: valuesFrom({ configurado: false, app: '', sms: { provedor: 'nenhum', url: null, urlPadrao: null, metodo: null, formato: null, corpo: null, headers: [], sucessoCampo: null, remetente: null, accountSid: null, regiao: null, accessKeyId: null, timeoutMs: 10000, segredoDefinido: false }, email: { remetenteNome: null, remetenteEndereco: null, smtpProprioDefinido: false }, modelos: modelosPadrao, previaSms: { codificacao: 'gsm7', caracteres: 0, limite: 160, segmentos: 0, texto: '' }, atualizadoEm: null }) });

  useEffect(() => {
    if (query.data) {
      const values = valuesFrom(query.data);
      form.setInitialValues(values);
      form.setValues(values);
      form.resetDirty(values);
      setSubstituirSegredo(false);
      setSmtp('manter');
    }
    // The server's copy, once per load or save.
  }, [query.data]);

  const { rest, showAlert } = useApiFormErrors(form, save.error);
  const editado = form.isDirty() || substituirSegredo || smtp !== 'manter';
  const { dialog } = useUnsavedChangesGuard(editado);

  if (query.isPending) return <FormSkeleton fields={8} />;
  if (query.isError) return <ErrorAlert error={query.error} title="Não foi possível carregar o envio de mensagens" />;
  const data = query.data;
  const v = form.values;
  const provedor = v.sms.provedor;
  const app = data.app;
  const somenteLeitura = !podeEditar;

  function submit(values: Values) {
    const s = values.sms;
    const timeoutMs = Number(s.timeoutMs) || undefined;
    const url = s.url.trim() || null;
    const segredo = (campo: 'apiToken' | 'authToken' | 'secretAccessKey') => (!data.sms.segredoDefinido || substituirSegredo || data.sms.provedor !== s.provedor ? s[campo] || undefined : undefined);
    let sms: EnvioMensagensEntrada['sms'];
    switch (s.provedor) {
      case 'nenhum':
        sms = { provedor: 'nenhum' };
        break;
      case 'zenvia':
        sms = { provedor: 'zenvia', url, remetente: s.remetente, apiToken: segredo('apiToken'), timeoutMs };
        break;
      case 'twilio':
        sms = { provedor: 'twilio', url, accountSid: s.accountSid, remetente: s.remetente, authToken: segredo('authToken'), timeoutMs };
        break;
      case 'sns':
        sms = { provedor: 'sns', url, regiao: s.regiao, accessKeyId: s.accessKeyId, secretAccessKey: segredo('secretAccessKey'), remetente: s.remetente.trim() || null, timeoutMs };
        break;
      case 'http':
        sms = {
          provedor: 'http',
          url: s.url,
          metodo: s.metodo,
          formato: s.formato,
          corpo: s.corpo,
          headers: s.headers.map((h) => ({ nome: h.nome, secreto: h.secreto, ...(h.secreto && h.definido && !h.substituir ? {} : { valor: h.valor }) })),
          sucessoCampo: s.sucessoCampo.trim() || null,
          timeoutMs,
        };
        break;
    }
    const email: EnvioMensagensEntrada['email'] = {
      remetenteNome: values.email.remetenteNome.trim() || null,
      remetenteEndereco: values.email.remetenteEndereco.trim() || null,
      ...(smtp === 'remover' ? { smtpUrl: null } : (smtp === 'substituir' || !data.email.smtpProprioDefinido) && values.email.smtpUrl.trim() ? { smtpUrl: values.email.smtpUrl.trim() } : {}),
    };
    save.mutate({ sms, email, modelos: values.modelos }, { onSuccess: () => notifySuccess('Configuração de envio salva.') });
  }

  const segredo = provedor !== 'nenhum' && provedor !== 'http' ? segredoDe[provedor] : null;
  const segredoDefinido = data.sms.segredoDefinido && data.sms.provedor === provedor;
  const urlPadrao = provedor === 'zenvia' ? 'https://api.zenvia.com' : provedor === 'twilio' ? 'https://api.twilio.com' : provedor === 'sns' ? `https://sns.${v.sms.regiao || 'sa-east-1'}.amazonaws.com` : '';
  const exemplo = exemploVariaveis(app);

  return (
    <>
      {dialog}
      <PageHeader
        title="Envio de mensagens"
        badge={<InstanciaBadge />}
        description="Como os códigos de recuperação de senha chegam aos beneficiários: o provedor de SMS, o remetente de e-mail e os textos das mensagens desta instância."
      />
      <form onSubmit={form.onSubmit(submit)} noValidate>
        <Stack gap="lg">
          {showAlert && <ErrorAlert error={save.error} details={rest} title="Não foi possível salvar" />}

          <Paper withBorder p="lg" radius="md">
            <Stack gap="md">
              <Group gap="xs">
                <IconMessage size={20} />
                <Title order={3} size="h4">
                  SMS
                </Title>
              </Group>
              <Select
                label="Provedor de SMS"
                description={provedor === 'nenhum' ? 'Sem provedor, em Produção os códigos por SMS são recusados (o app pede outro contato); fora dela vão para a caixa de saída.' : undefined}
                data={provedores}
                allowDeselect={false}
                disabled={somenteLeitura}
                {...form.getInputProps('sms.provedor')}
              />
              {provedor !== 'nenhum' && (
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput
                    label={provedor === 'http' ? 'URL do gateway' : provedor === 'sns' ? 'Endpoint (opcional)' : 'Endereço da API (opcional)'}
                    description={provedor === 'http' ? 'Sem query string; em Produção, só https.' : `Vazio usa ${urlPadrao}.`}
                    placeholder={provedor === 'http' ? 'https://sms.exemplo.com.br/enviar' : urlPadrao}
                    maxLength={2048}
                    required={provedor === 'http'}
                    disabled={somenteLeitura}
                    {...form.getInputProps('sms.url')}
                  />
                  <NumberInput label="Tempo limite (ms)" description="Entre 1000 e 30000; uma falha passageira é tentada mais uma vez." min={1000} max={30000} step={1000} disabled={somenteLeitura} {...form.getInputProps('sms.timeoutMs')} />
                </SimpleGrid>
              )}
              {provedor === 'zenvia' && (
                <TextInput label="Remetente (from)" description="O identificador do canal SMS na Zenvia." maxLength={64} required disabled={somenteLeitura} {...form.getInputProps('sms.remetente')} />
              )}
              {provedor === 'twilio' && (
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <TextInput label="Account SID" placeholder="AC…" maxLength={64} required disabled={somenteLeitura} {...form.getInputProps('sms.accountSid')} />
                  <TextInput label="Remetente (From)" description="Número Twilio em E.164 ou Messaging Service SID." placeholder="+5511…" maxLength={64} required disabled={somenteLeitura} {...form.getInputProps('sms.remetente')} />
                </SimpleGrid>
              )}
              {provedor === 'sns' && (
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <TextInput label="Região" placeholder="sa-east-1" maxLength={32} required disabled={somenteLeitura} {...form.getInputProps('sms.regiao')} />
                  <TextInput label="Access Key ID" maxLength={128} required disabled={somenteLeitura} {...form.getInputProps('sms.accessKeyId')} />
                  <TextInput label="Sender ID (opcional)" description="Até 11 caracteres, onde a operadora de telefonia aceita." maxLength={11} disabled={somenteLeitura} {...form.getInputProps('sms.remetente')} />
                </SimpleGrid>
              )}
              {segredo && (
                <SegredoField
                  label={segredo.label}
                  definido={segredoDefinido}
                  substituir={substituirSegredo}
                  onSubstituir={setSubstituirSegredo}
                  disabled={somenteLeitura}
                  inputProps={{ ...form.getInputProps(`sms.${segredo.campo}`), maxLength: 4096, required: !segredoDefinido }}
                />
              )}
              {provedor === 'http' && (
                <Stack gap="sm">
                  <SimpleGrid cols={{ base: 1, sm: 3 }}>
                    <Select label="Método" data={['POST', 'PUT']} allowDeselect={false} disabled={somenteLeitura} {...form.getInputProps('sms.metodo')} />
                    <Select
                      label="Formato do corpo"
                      data={[
                        { value: 'json', label: 'JSON' },
                        { value: 'form', label: 'Formulário (x-www-form-urlencoded)' },
                      ]}
                      allowDeselect={false}
                      disabled={somenteLeitura}
                      {...form.getInputProps('sms.formato')}
                      onChange={(value) => {
                        const formato = (value ?? 'json') as 'json' | 'form';
                        form.setFieldValue('sms.formato', formato);
                        if (v.sms.corpo === corpoExemplo.json || v.sms.corpo === corpoExemplo.form || v.sms.corpo.trim() === '') form.setFieldValue('sms.corpo', corpoExemplo[formato]);
                      }}
                    />
                    <TextInput label="Campo de sucesso (opcional)" description="Caminho no JSON da resposta que deve ser true, ex.: resultado.enviado." maxLength={200} disabled={somenteLeitura} {...form.getInputProps('sms.sucessoCampo')} />
                  </SimpleGrid>
                  <Textarea
                    label="Corpo da requisição"
                    description={
                      <>
                        Use <Code>{'{{destino}}'}</Code> (o número em E.164, ex.: +5511999990000) e <Code>{'{{texto}}'}</Code> (a mensagem). Os valores são escapados para o formato escolhido.
                      </>
                    }
                    autosize
                    minRows={3}
                    maxLength={4000}
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    disabled={somenteLeitura}
                    {...form.getInputProps('sms.corpo')}
                  />
                  <Text size="sm" fw={500}>
                    Headers
                  </Text>
                  {v.sms.headers.length === 0 && (
                    <Text size="sm" c="dimmed">
                      Nenhum header. O Content-Type é definido pela Ponte conforme o formato.
                    </Text>
                  )}
                  {v.sms.headers.map((h, index) => (
                    <Group key={h.key} align="flex-end" wrap="nowrap">
                      <TextInput label="Nome" aria-label={`Nome do header ${index + 1}`} maxLength={128} style={{ flex: 1 }} disabled={somenteLeitura} {...form.getInputProps(`sms.headers.${index}.nome`)} />
                      {h.secreto && h.definido && !h.substituir ? (
                        <Group gap="xs" style={{ flex: 2 }}>
                          <Badge color="teal" variant="light" leftSection={<IconLock size={12} />}>
                            Definido
                          </Badge>
                          {!somenteLeitura && (
                            <Button size="compact-sm" variant="subtle" onClick={() => form.setFieldValue(`sms.headers.${index}.substituir`, true)}>
                              Substituir
                            </Button>
                          )}
                        </Group>
                      ) : h.secreto ? (
                        <PasswordInput label="Valor" aria-label={`Valor do header ${index + 1}`} autoComplete="new-password" maxLength={4096} style={{ flex: 2 }} disabled={somenteLeitura} {...form.getInputProps(`sms.headers.${index}.valor`)} />
                      ) : (
                        <TextInput label="Valor" aria-label={`Valor do header ${index + 1}`} maxLength={4096} style={{ flex: 2 }} disabled={somenteLeitura} {...form.getInputProps(`sms.headers.${index}.valor`)} />
                      )}
                      <Switch
                        label="Secreto"
                        mb={8}
                        disabled={somenteLeitura || h.definido}
                        checked={h.secreto}
                        onChange={(e) => form.setFieldValue(`sms.headers.${index}.secreto`, e.currentTarget.checked)}
                      />
                      <Tooltip label="Remover header">
                        <ActionIcon variant="subtle" color="red" mb={4} aria-label={`Remover o header ${h.nome || index + 1}`} disabled={somenteLeitura} onClick={() => form.removeListItem('sms.headers', index)}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  ))}
                  {!somenteLeitura && (
                    <Button variant="light" size="xs" w="fit-content" leftSection={<IconPlus size={14} />} onClick={() => form.insertListItem('sms.headers', { key: newKey(), nome: '', valor: '', secreto: false, definido: false, substituir: false })}>
                      Adicionar header
                    </Button>
                  )}
                </Stack>
              )}
            </Stack>
          </Paper>

          <Paper withBorder p="lg" radius="md">
            <Stack gap="md">
              <Group gap="xs">
                <IconMail size={20} />
                <Title order={3} size="h4">
                  E-mail
                </Title>
              </Group>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label="Nome do remetente" placeholder={app} maxLength={100} disabled={somenteLeitura} {...form.getInputProps('email.remetenteNome')} />
                <TextInput label="Endereço do remetente" placeholder="nao-responda@operadora.com.br" type="email" maxLength={254} disabled={somenteLeitura} {...form.getInputProps('email.remetenteEndereco')} />
              </SimpleGrid>
              {data.email.smtpProprioDefinido && smtp !== 'substituir' ? (
                <Stack gap={4}>
                  <Text size="sm" fw={500}>
                    Servidor SMTP próprio
                  </Text>
                  <Group gap="sm">
                    {smtp === 'remover' ? (
                      <Badge color="red" variant="light">
                        Será removido ao salvar
                      </Badge>
                    ) : (
                      <Badge color="teal" variant="light" leftSection={<IconLock size={12} />}>
                        Definido
                      </Badge>
                    )}
                    {!somenteLeitura && smtp === 'manter' && (
                      <>
                        <Button size="compact-sm" variant="subtle" onClick={() => setSmtp('substituir')}>
                          Substituir
                        </Button>
                        <Button size="compact-sm" variant="subtle" color="red" onClick={() => setConfirmarRemocao(true)}>
                          Remover
                        </Button>
                      </>
                    )}
                    {smtp === 'remover' && (
                      <Button size="compact-sm" variant="subtle" onClick={() => setSmtp('manter')}>
                        Desfazer
                      </Button>
                    )}
                  </Group>
                </Stack>
              ) : (
                <PasswordInput
                  label="Servidor SMTP próprio (opcional)"
                  description="smtp://usuario:senha@host:porta ou smtps:// para TLS direto. Vazio usa o servidor da plataforma. Guardado cifrado; nunca é exibido."
                  placeholder="smtps://usuario:senha@smtp.operadora.com.br:465"
                  autoComplete="new-password"
                  maxLength={2048}
                  disabled={somenteLeitura}
                  {...form.getInputProps('email.smtpUrl')}
                />
              )}
            </Stack>
          </Paper>

          <Paper withBorder p="lg" radius="md">
            <Stack gap="md">
              <Group justify="space-between">
                <Title order={3} size="h4">
                  Modelos da mensagem de código
                </Title>
                {!somenteLeitura && (
                  <Button variant="subtle" size="xs" leftSection={<IconRestore size={14} />} onClick={() => form.setFieldValue('modelos', { ...modelosPadrao })}>
                    Restaurar textos padrão
                  </Button>
                )}
              </Group>
              <Text size="sm" c="dimmed">
                Marcadores: <Code>{'{{app}}'}</Code> (nome do app: {app}), <Code>{'{{codigo}}'}</Code> (6 dígitos) e <Code>{'{{validade}}'}</Code> (minutos).
              </Text>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Textarea label="SMS" autosize minRows={3} maxLength={480} disabled={somenteLeitura} {...form.getInputProps('modelos.sms')} />
                <ContadorSms texto={v.modelos.sms} app={app} />
              </SimpleGrid>
              <Divider />
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Stack gap="sm">
                  <TextInput label="Assunto do e-mail" maxLength={200} disabled={somenteLeitura} {...form.getInputProps('modelos.emailAssunto')} />
                  <Textarea label="Texto do e-mail" description="Enviado como texto e como HTML (parágrafos e o código em destaque)." autosize minRows={6} maxLength={5000} disabled={somenteLeitura} {...form.getInputProps('modelos.emailTexto')} />
                </Stack>
                <Paper withBorder p="sm" className="painel-superficie">
                  <Text size="xs" c="dimmed">
                    Prévia
                  </Text>
                  <Text size="sm" fw={600} mt={4}>
                    {preencher(v.modelos.emailAssunto, exemplo)}
                  </Text>
                  <Text size="xs" c="dimmed" mb="xs">
                    De: {v.email.remetenteEndereco ? `${v.email.remetenteNome || app} <${v.email.remetenteEndereco}>` : 'o remetente da plataforma'}
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {preencher(v.modelos.emailTexto, exemplo)}
                  </Text>
                </Paper>
              </SimpleGrid>
            </Stack>
          </Paper>

          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {data.atualizadoEm ? `Salvo em ${formatDateTime(data.atualizadoEm)}` : 'Ainda não configurado: valem os textos padrão e os canais da plataforma.'}
            </Text>
            {podeEditar ? (
              <Button type="submit" leftSection={<IconDeviceFloppy size={16} />} loading={save.isPending} disabled={!editado}>
                Salvar
              </Button>
            ) : (
              <Text size="sm" c="dimmed">
                Seu perfil pode consultar, mas não alterar esta configuração.
              </Text>
            )}
          </Group>
        </Stack>
      </form>

      <Stack mt="lg">
        <TesteDeEnvio clienteId={clienteId} instancia={instancia} editado={editado} podeEditar={podeEditar} />
      </Stack>

      <ConfirmDialog
        opened={confirmarRemocao}
        onClose={() => setConfirmarRemocao(false)}
        onConfirm={() => {
          setSmtp('remover');
          setConfirmarRemocao(false);
        }}
        title="Remover o servidor SMTP próprio?"
        confirmLabel="Remover"
      >
        <Text size="sm">Ao salvar, os e-mails desta instância passam a sair pelo servidor da plataforma.</Text>
      </ConfirmDialog>
    </>
  );
}

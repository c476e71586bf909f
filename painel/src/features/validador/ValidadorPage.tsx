import { ActionIcon, Alert, Button, Grid, Group, JsonInput, Paper, PasswordInput, SegmentedControl, Select, Skeleton, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { IconInfoCircle, IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { CampoContrato, CampoFormulario, FinalidadeFormulario, MetodoOperadora } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { hasPath, splitFieldErrors } from '../../lib/errors.ts';
import { metodoLabels, metodos } from '../../lib/labels.ts';
import { ContractPanel } from '../contratos/ContractTable.tsx';
import { useContratos } from '../contratos/api.ts';
import { formularioEmUso, useFormularios } from '../formularios/api.ts';
import { useGrupos } from '../grupos/api.ts';
import { useCliente } from '../shell/workspace.tsx';
import { useRunValidador } from './api.ts';
import { ResultadoValidacao } from './ResultadoValidacao.tsx';

/** A field the validador asks for: from the instância's form, or one Ponte always adds (chaveUnica, integracao). */
type Entrada = { nome: string; rotulo: string; tipo: CampoFormulario['tipo'] | 'json'; obrigatorio: boolean; ajuda?: string; opcoes?: { valor: string; rotulo: string }[] };

const placeholders: Partial<Record<Entrada['tipo'], string>> = { cpf: '00000000000', data: 'AAAA-MM-DD', email: 'nome@exemplo.com', telefone: '11999998888' };

function entradasDe(metodo: MetodoOperadora, campos: CampoFormulario[] | undefined, fixos: CampoContrato[]): Entrada[] {
  if (metodo === 'autorizacao') return [];
  // A confirmation field (confirma) is the app's check, never part of what the operator receives.
  const doFormulario: Entrada[] = (campos ?? []).filter((c) => !c.confirma).map((c) => ({
    nome: c.nome,
    rotulo: c.rotulo,
    tipo: c.tipo,
    obrigatorio: c.obrigatorio,
    ...(c.ajuda ? { ajuda: c.ajuda } : {}),
    ...(c.opcoes ? { opcoes: c.opcoes } : {}),
  }));
  const daPonte: Entrada[] = fixos.map((f) => ({ nome: f.nome, rotulo: f.nome, tipo: f.tipo === 'any' ? 'json' : 'text', obrigatorio: f.criterio === 'M', ajuda: f.descricao }));
  return [...doFormulario, ...daPonte];
}

/** The body as the operator would get it: numbers as numbers, JSON fields parsed, empty fields left out. */
function corpoDe(entradas: Entrada[], valores: Record<string, string>): { corpo: Record<string, unknown>; erros: Record<string, string> } {
  const corpo: Record<string, unknown> = {};
  const erros: Record<string, string> = {};
  for (const entrada of entradas) {
    const valor = valores[entrada.nome] ?? '';
    if (valor === '') continue;
    if (entrada.tipo === 'json') {
      try {
        corpo[entrada.nome] = JSON.parse(valor);
      } catch {
        erros[entrada.nome] = 'JSON inválido.';
      }
    } else if (entrada.tipo === 'numero' && valor.trim() !== '' && Number.isFinite(Number(valor))) corpo[entrada.nome] = Number(valor);
    else corpo[entrada.nome] = valor;
  }
  return { corpo, erros };
}

/**
 * The step a method needs first, as the server runs it (validador.service.ts `prerequisiteOf`):
 * nova senha needs an identificação, trocar senha (and later per-user methods) a login;
 * elegibilidade only a chave única (chaveAuth calls it without a session).
 */
function prerequisitoDe(metodo: MetodoOperadora): MetodoOperadora | null {
  if (metodo === 'recuperarSenhaNovaSenha') return 'recuperarSenhaIdentificacao';
  if (metodo === 'autorizacao' || metodo === 'login' || metodo === 'recuperarSenhaIdentificacao' || metodo === 'elegibilidade') return null;
  return 'login';
}

type HeaderExtra = { nome: string; valor: string };

/** Seconds since `desde`, refreshed while `ativo`: the validador shows it while the operator takes its time. */
function useDecorrido(ativo: boolean): number {
  const [agora, setAgora] = useState(() => Date.now());
  const [desde, setDesde] = useState(() => Date.now());
  useEffect(() => {
    if (!ativo) return undefined;
    const inicio = Date.now();
    setDesde(inicio);
    setAgora(inicio);
    const timer = setInterval(() => setAgora(Date.now()), 100);
    return () => clearInterval(timer);
  }, [ativo]);
  return Math.max(0, agora - desde);
}

function CampoEntrada({ entrada, value, error, onChange }: { entrada: Entrada; value: string; error?: string | undefined; onChange: (value: string) => void }) {
  const common = {
    label: entrada.rotulo === entrada.nome ? entrada.nome : `${entrada.rotulo} (${entrada.nome})`,
    description: entrada.ajuda,
    required: entrada.obrigatorio,
    error,
  };
  if (entrada.tipo === 'json')
    return <JsonInput {...common} value={value} onChange={onChange} placeholder='{ "matricula": "123" }' autosize minRows={2} maxRows={8} validationError="JSON inválido" formatOnBlur />;
  if (entrada.tipo === 'senha') return <PasswordInput {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)} autoComplete="off" />;
  if (entrada.tipo === 'select')
    return <Select {...common} value={value || null} onChange={(v) => onChange(v ?? '')} data={(entrada.opcoes ?? []).map((o) => ({ value: o.valor, label: o.rotulo }))} clearable />;
  return <TextInput {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)} placeholder={placeholders[entrada.tipo]} inputMode={entrada.tipo === 'numero' || entrada.tipo === 'cpf' ? 'numeric' : undefined} />;
}

export function ValidadorPage() {
  const { clienteId, instancia, podeEditar } = useCliente();
  const [metodo, setMetodo] = useState<MetodoOperadora>('login');
  const [modo, setModo] = useState<'formulario' | 'json'>('formulario');
  const [valores, setValores] = useState<Record<string, string>>({});
  const [json, setJson] = useState('{}');
  const [grupoId, setGrupoId] = useState<string | null>(null);
  const [erros, setErros] = useState<Record<string, string>>({});
  const [comLogin, setComLogin] = useState(false);
  const [loginValores, setLoginValores] = useState<Record<string, string>>({});
  const [expectativa, setExpectativa] = useState<'sucesso' | 'recusa'>('sucesso');
  const [headersExtras, setHeadersExtras] = useState<HeaderExtra[]>([]);

  const formularios = useFormularios(clienteId, instancia);
  const contratos = useContratos();
  const grupos = useGrupos(clienteId, instancia);
  const run = useRunValidador(clienteId, instancia);

  const contrato = contratos.data?.find((c) => c.metodo === metodo);
  // elegibilidade has no form: its fixed fields (chaveUnica, integracao) are the input.
  const campos = metodo === 'autorizacao' || metodo === 'elegibilidade' || !formularios.data ? undefined : formularioEmUso(formularios.data, metodo as FinalidadeFormulario)?.campos;
  const entradas = useMemo(() => entradasDe(metodo, campos, contrato?.requisicao.camposFixos ?? []), [metodo, campos, contrato]);
  const carregando = metodo !== 'autorizacao' && (formularios.isPending || contratos.isPending);
  const prerequisito = prerequisitoDe(metodo);
  const contratoPrerequisito = contratos.data?.find((c) => c.metodo === prerequisito);
  const camposPrerequisito = prerequisito && formularios.data ? formularioEmUso(formularios.data, prerequisito as FinalidadeFormulario)?.campos : undefined;
  const entradasLogin = useMemo(
    () => (prerequisito ? entradasDe(prerequisito, camposPrerequisito, contratoPrerequisito?.requisicao.camposFixos ?? []) : []),
    [prerequisito, camposPrerequisito, contratoPrerequisito],
  );
  const encadeado = comLogin && prerequisito !== null;
  // With a test login, chaveUnica and integracao come from it: they leave the form.
  const entradasVisiveis = encadeado ? entradas.filter((e) => e.nome !== 'chaveUnica' && e.nome !== 'integracao') : entradas;
  const decorrido = useDecorrido(run.isPending);

  // A new method or instância starts from a clean slate.
  useEffect(() => {
    setValores({});
    setJson('{}');
    setErros({});
    setLoginValores({});
    setComLogin(prerequisitoDe(metodo) !== null);
    run.reset();
  }, [metodo, instancia]); // the mutation object is stable enough: resetting on its identity would loop

  useEffect(() => {
    if (grupoId && !grupos.data?.some((g) => g.id === grupoId)) setGrupoId(null);
    if (!grupoId && grupos.data?.length === 1) setGrupoId(grupos.data[0]!.id);
  }, [grupos.data, grupoId]);

  const trocarModo = (novo: string) => {
    if (novo === 'json') setJson(JSON.stringify(corpoDe(entradas, valores).corpo, null, 2));
    else {
      try {
        const parsed = JSON.parse(json) as Record<string, unknown>;
        setValores(Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
      } catch {
        /* keeps the form values as they were */
      }
    }
    setModo(novo as 'formulario' | 'json');
  };

  const executar = (event: FormEvent) => {
    event.preventDefault();
    let entrada: Record<string, unknown> = {};
    if (metodo === 'autorizacao') {
      if (!grupoId) return setErros({ grupoId: 'Escolha o grupo de autorização a validar.' });
    } else if (modo === 'json') {
      try {
        const parsed: unknown = JSON.parse(json || '{}');
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return setErros({ json: 'A entrada deve ser um objeto JSON: { "campo": "valor" }.' });
        entrada = parsed as Record<string, unknown>;
      } catch {
        return setErros({ json: 'JSON inválido.' });
      }
    } else {
      const { corpo, erros: invalidos } = corpoDe(entradasVisiveis, valores);
      if (Object.keys(invalidos).length > 0) return setErros(invalidos);
      entrada = corpo;
    }
    let loginDeTeste: { entrada: Record<string, unknown> } | undefined;
    if (encadeado) {
      const { corpo, erros: invalidos } = corpoDe(entradasLogin, loginValores);
      if (Object.keys(invalidos).length > 0) return setErros(Object.fromEntries(Object.entries(invalidos).map(([k, v]) => [`login.${k}`, v])));
      loginDeTeste = { entrada: corpo };
    }
    const extras = headersExtras.filter((h) => h.nome.trim() !== '' || h.valor !== '');
    const semNome = extras.findIndex((h) => h.nome.trim() === '');
    if (semNome !== -1) return setErros({ [`headersExtras.${semNome}.nome`]: 'Informe o nome do header (ou remova a linha).' });
    setErros({});
    run.mutate(
      {
        metodo,
        entrada,
        expectativa,
        headersExtras: extras.map((h) => ({ nome: h.nome.trim(), valor: h.valor })),
        ...(loginDeTeste ? { loginDeTeste } : {}),
        ...(metodo === 'autorizacao' && grupoId ? { grupoId } : {}),
      },
      {
        onError: (error) => {
          const known = {
            grupoId: '',
            json: '',
            ...Object.fromEntries(entradas.map((e) => [`entrada.${e.nome}`, ''])),
            ...Object.fromEntries(headersExtras.flatMap((_, i) => [[`headersExtras.${i}.nome`, ''], [`headersExtras.${i}.valor`, '']])),
          };
          const { fields } = splitFieldErrors(error, (path) => hasPath(known, path));
          setErros(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.replace(/^entrada\./, ''), v])));
        },
      },
    );
  };

  const violacoes = run.data?.violacoes.map((v) => v.caminho) ?? [];

  return (
    <>
      <PageHeader
        title="Validador de integração"
        badge={<InstanciaBadge />}
        description="Chama um método da operadora com dados de teste, pela configuração real desta instância, e mostra a requisição, a resposta, o tempo e cada violação do contrato."
      />
      <Grid gutter="lg" align="flex-start">
        <Grid.Col span={7}>
          <Stack gap="lg">
            <Paper withBorder radius="md" p="lg" component="form" onSubmit={executar} noValidate aria-label="Executar validação">
              <Stack gap="md">
                <Select
                  label="Método"
                  data={metodos.map((m) => ({ value: m, label: metodoLabels[m] }))}
                  value={metodo}
                  onChange={(value) => value && setMetodo(value as MetodoOperadora)}
                  allowDeselect={false}
                />
                {metodo === 'autorizacao' ? (
                  grupos.isPending ? (
                    <Skeleton height={60} />
                  ) : (grupos.data ?? []).length === 0 ? (
                    <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
                      Nenhum grupo de autorização nesta instância. <Link to="/seguranca/grupos">Cadastre um grupo</Link> para validar o endpoint /autorizacao.
                    </Alert>
                  ) : (
                    <Select
                      label="Grupo de autorização"
                      description="A Ponte chama o endpoint do grupo com o usuário e a senha guardados."
                      data={(grupos.data ?? []).map((g) => ({ value: g.id, label: g.nome }))}
                      value={grupoId}
                      onChange={setGrupoId}
                      error={erros.grupoId}
                      required
                    />
                  )
                ) : (
                  <>
                    <Group justify="space-between" align="flex-end">
                      <Text size="sm" fw={500}>
                        Entrada
                      </Text>
                      <SegmentedControl
                        size="xs"
                        value={modo}
                        onChange={trocarModo}
                        aria-label="Forma de preencher a entrada"
                        data={[
                          { value: 'formulario', label: 'Formulário' },
                          { value: 'json', label: 'JSON' },
                        ]}
                      />
                    </Group>
                    {carregando ? (
                      <Stack gap="sm">
                        <Skeleton height={56} />
                        <Skeleton height={56} />
                      </Stack>
                    ) : modo === 'json' ? (
                      <JsonInput
                        label="Corpo enviado à operadora"
                        description="Objeto JSON com os campos do método."
                        value={json}
                        onChange={setJson}
                        autosize
                        minRows={6}
                        maxRows={18}
                        formatOnBlur
                        validationError="JSON inválido"
                        error={erros.json}
                      />
                    ) : (
                      <>
                        <Text size="xs" c="dimmed" mt={-8}>
                          Campos do formulário em uso nesta instância para {metodoLabels[metodo]}
                          {entradas.some((e) => e.tipo === 'json' || e.nome === 'chaveUnica') ? ', mais os que a Ponte sempre envia' : ''}.
                        </Text>
                        {entradasVisiveis.map((entrada) => (
                          <CampoEntrada
                            key={entrada.nome}
                            entrada={entrada}
                            value={valores[entrada.nome] ?? ''}
                            error={erros[entrada.nome]}
                            onChange={(value) => setValores((current) => ({ ...current, [entrada.nome]: value }))}
                          />
                        ))}
                      </>
                    )}
                  </>
                )}
                {prerequisito && metodo !== 'autorizacao' ? (
                  <Paper withBorder radius="sm" p="sm" bg="var(--mantine-color-default-hover)">
                    <Stack gap="sm">
                      <Switch
                        checked={comLogin}
                        onChange={(e) => setComLogin(e.currentTarget.checked)}
                        label={prerequisito === 'login' ? 'Executar com login de teste' : 'Executar com identificação de teste'}
                        description={`Antes, a Ponte chama ${metodoLabels[prerequisito]} com os dados abaixo e reaproveita a seguranca (headers do usuário), a chaveUnica e a integracao da resposta — como o app faz.`}
                      />
                      {comLogin
                        ? entradasLogin.map((entrada) => (
                            <CampoEntrada
                              key={`login.${entrada.nome}`}
                              entrada={entrada}
                              value={loginValores[entrada.nome] ?? ''}
                              error={erros[`login.${entrada.nome}`]}
                              onChange={(value) => setLoginValores((current) => ({ ...current, [entrada.nome]: value }))}
                            />
                          ))
                        : null}
                    </Stack>
                  </Paper>
                ) : null}
                <Stack gap={6}>
                  <Group justify="space-between" align="flex-end">
                    <div>
                      <Text size="sm" fw={500}>
                        Headers extras
                      </Text>
                      <Text size="xs" c="dimmed">
                        Enviados só nesta execução, com a maior precedência; os valores não são guardados.
                      </Text>
                    </div>
                    <Button
                      size="xs"
                      variant="subtle"
                      leftSection={<IconPlus size={14} />}
                      disabled={headersExtras.length >= 20}
                      onClick={() => setHeadersExtras((atuais) => [...atuais, { nome: '', valor: '' }])}
                    >
                      Adicionar header
                    </Button>
                  </Group>
                  {headersExtras.map((header, i) => (
                    <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
                      <TextInput
                        aria-label={`Nome do header extra ${i + 1}`}
                        placeholder="x-meu-header"
                        value={header.nome}
                        maxLength={128}
                        error={erros[`headersExtras.${i}.nome`]}
                        onChange={(e) => {
                          const nome = e.currentTarget.value;
                          setHeadersExtras((atuais) => atuais.map((h, j) => (j === i ? { ...h, nome } : h)));
                        }}
                        style={{ flex: 1 }}
                      />
                      <PasswordInput
                        aria-label={`Valor do header extra ${i + 1}`}
                        placeholder="valor"
                        value={header.valor}
                        maxLength={8192}
                        error={erros[`headersExtras.${i}.valor`]}
                        onChange={(e) => {
                          const valor = e.currentTarget.value;
                          setHeadersExtras((atuais) => atuais.map((h, j) => (j === i ? { ...h, valor } : h)));
                        }}
                        style={{ flex: 1 }}
                        autoComplete="off"
                      />
                      <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`Remover o header extra ${i + 1}`} onClick={() => setHeadersExtras((atuais) => atuais.filter((_, j) => j !== i))}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Group>
                  ))}
                </Stack>
                <SegmentedControl
                  size="xs"
                  value={expectativa}
                  onChange={(v) => setExpectativa(v as 'sucesso' | 'recusa')}
                  aria-label="O que o teste espera"
                  data={[
                    { value: 'sucesso', label: 'Espera sucesso' },
                    { value: 'recusa', label: 'Espera recusa (teste negativo)' },
                  ]}
                />
                {run.isError && Object.keys(erros).length === 0 ? <ErrorAlert error={run.error} details={run.error instanceof ApiError ? run.error.details : []} title="A validação não foi executada" /> : null}
                <Group justify="space-between">
                  <Text size="xs" c="dimmed">
                    {podeEditar ? 'A chamada é real e fica registrada na central de logs.' : 'Seu papel (leitor) não permite executar o validador.'}
                  </Text>
                  <Button type="submit" leftSection={<IconPlayerPlay size={16} />} loading={run.isPending} disabled={!podeEditar}>
                    {!encadeado ? 'Executar' : prerequisito === 'login' ? 'Executar com login de teste' : 'Executar com identificação de teste'}
                  </Button>
                </Group>
              </Stack>
            </Paper>

            {run.isPending ? (
              <Paper withBorder radius="md" p="lg" aria-busy="true">
                <Stack gap="sm">
                  <Text size="sm" c="dimmed" role="status" data-testid="decorrido">
                    Executando{encadeado ? ` (${metodoLabels[prerequisito!]} de teste, depois ${metodoLabels[metodo]})` : ''}… {(decorrido / 1000).toLocaleString('pt-BR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s
                  </Text>
                  <Skeleton height={44} width="50%" />
                  <Skeleton height={120} />
                </Stack>
              </Paper>
            ) : run.data ? (
              <ResultadoValidacao relatorio={run.data} />
            ) : (
              <Paper withBorder radius="md" p="xl" bg="var(--mantine-color-default-hover)">
                <Stack align="center" gap={4}>
                  <Title order={5}>Nenhuma execução ainda</Title>
                  <Text size="sm" c="dimmed" ta="center">
                    Preencha a entrada e clique em Executar. O resultado aparece aqui, com as violações marcadas na resposta.
                  </Text>
                </Stack>
              </Paper>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={5} style={{ position: 'sticky', top: 80 }}>
          <ContractPanel metodo={metodo} violacoes={violacoes} />
        </Grid.Col>
      </Grid>
    </>
  );
}

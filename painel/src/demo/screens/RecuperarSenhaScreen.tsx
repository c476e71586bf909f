import { Alert, Anchor, Button, Group, Paper, PinInput, Progress, Radio, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconDeviceMobileMessage, IconFlask, IconMail } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { ValoresFormulario } from '../../shared/formulario/CamposFormulario.tsx';
import { AppApiError, type AppApi } from '../api.ts';
import { AvisoAlert, ErroAlert, hora, TopBar } from '../components.tsx';
import type { CodigoEnviado, Configuracao, ContatoOfuscado, FormularioDoApp } from '../types.ts';
import { FormularioEnviavel } from './FormularioEnviavel.tsx';

type Props = { api: AppApi; config: Configuracao; onVoltar: () => void; onConcluido: (mensagem: string) => void };

type Passo =
  | { nome: 'identificacao' }
  | { nome: 'contato'; id: string; contatos: ContatoOfuscado[] }
  | { nome: 'codigo'; id: string; contatos: ContatoOfuscado[]; contato: ContatoOfuscado; enviado: CodigoEnviado; reenviado: boolean }
  | { nome: 'novaSenha'; id: string };

const passos = { identificacao: 1, contato: 2, codigo: 3, novaSenha: 4 } as const;
const titulos = { identificacao: 'Quem é você?', contato: 'Para onde enviar o código?', codigo: 'Digite o código', novaSenha: 'Crie uma nova senha' } as const;

/** The flow ended on the server (expired, finished): only starting again helps. */
const fluxoAcabou = (error: unknown) => error instanceof AppApiError && (error.code === 'NOT_FOUND' || error.code === 'CONFLICT');

/**
 * Esqueci minha senha: identification → one of the obfuscated contacts → the 6-digit code → the new
 * password; then back to the login with the operator's message.
 */
export function RecuperarSenhaScreen({ api, config, onVoltar, onConcluido }: Props) {
  const [passo, setPasso] = useState<Passo>({ nome: 'identificacao' });
  const recomecar = () => setPasso({ nome: 'identificacao' });

  return (
    <div className="demo-screen">
      <TopBar title="Recuperar senha" onBack={onVoltar} />
      <div className="demo-scroll">
        <Stack p="md" gap="md">
          <Stack gap={6}>
            <Text size="xs" c="dimmed" fw={600}>
              Passo {passos[passo.nome]} de 4
            </Text>
            <Progress value={(passos[passo.nome] / 4) * 100} size="sm" radius="xl" aria-hidden />
            <Title order={2} fz="lg" mt={4}>
              {titulos[passo.nome]}
            </Title>
          </Stack>
          {passo.nome === 'identificacao' ? (
            <Identificacao api={api} form={config.formularios.recuperarSenhaIdentificacao} onIdentificado={(id, contatos) => setPasso({ nome: 'contato', id, contatos })} />
          ) : passo.nome === 'contato' ? (
            <EscolhaDoContato
              api={api}
              id={passo.id}
              contatos={passo.contatos}
              onEnviado={(contato, enviado) => setPasso({ nome: 'codigo', id: passo.id, contatos: passo.contatos, contato, enviado, reenviado: false })}
              onRecomecar={recomecar}
            />
          ) : passo.nome === 'codigo' ? (
            <Codigo
              api={api}
              passo={passo}
              onReenviado={(enviado) => setPasso({ ...passo, enviado, reenviado: true })}
              onOutroContato={() => setPasso({ nome: 'contato', id: passo.id, contatos: passo.contatos })}
              onVerificado={() => setPasso({ nome: 'novaSenha', id: passo.id })}
              onRecomecar={recomecar}
            />
          ) : (
            <NovaSenha api={api} id={passo.id} form={config.formularios.recuperarSenhaNovaSenha} onConcluido={onConcluido} onRecomecar={recomecar} />
          )}
        </Stack>
      </div>
    </div>
  );
}

function Identificacao({ api, form, onIdentificado }: { api: AppApi; form: FormularioDoApp; onIdentificado: (id: string, contatos: ContatoOfuscado[]) => void }) {
  const identificar = useMutation({ mutationFn: (campos: ValoresFormulario) => api.identificar(campos), onSuccess: (r) => onIdentificado(r.id, r.contatos) });
  return (
    <>
      <Text size="sm" c="dimmed">
        Informe seus dados para encontrarmos o seu cadastro na operadora.
      </Text>
      <FormularioEnviavel
        form={form}
        idPrefix="recuperar"
        error={identificar.error}
        pending={identificar.isPending}
        titulo="Não foi possível identificar você"
        botao="Continuar"
        onSubmit={(valores) => identificar.mutate(valores)}
      />
    </>
  );
}

function EscolhaDoContato({
  api,
  id,
  contatos,
  onEnviado,
  onRecomecar,
}: {
  api: AppApi;
  id: string;
  contatos: ContatoOfuscado[];
  onEnviado: (contato: ContatoOfuscado, enviado: CodigoEnviado) => void;
  onRecomecar: () => void;
}) {
  const [escolhido, setEscolhido] = useState<string | null>(contatos.length === 1 ? contatos[0]!.id : null);
  const [faltaEscolher, setFaltaEscolher] = useState(false);
  const enviar = useMutation({
    mutationFn: (contato: ContatoOfuscado) => api.enviarCodigo(id, contato.id),
    onSuccess: (enviado, contato) => onEnviado(contato, enviado),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const contato = contatos.find((c) => c.id === escolhido);
    if (!contato) return setFaltaEscolher(true);
    enviar.mutate(contato);
  };
  return (
    <Paper withBorder radius="lg" p="lg" component="form" onSubmit={submit} noValidate>
      <Stack gap="md">
        {enviar.isError ? <ErroAlert error={enviar.error} title="Não foi possível enviar o código" /> : null}
        {enviar.isError && fluxoAcabou(enviar.error) ? (
          <Button variant="light" onClick={onRecomecar}>
            Começar de novo
          </Button>
        ) : null}
        <Radio.Group
          value={escolhido}
          onChange={(value) => {
            setEscolhido(value);
            setFaltaEscolher(false);
          }}
          label="Enviaremos um código de 6 dígitos"
          description="Por segurança, mostramos os contatos só em parte."
          error={faltaEscolher ? 'Escolha um contato.' : undefined}
        >
          <Stack gap="xs" mt="sm">
            {contatos.map((c) => (
              <Radio.Card key={c.id} value={c.id} radius="md" p="sm" withBorder aria-label={`${c.tipo === 'email' ? 'E-mail' : 'Celular'} ${c.ofuscado}`}>
                <Group wrap="nowrap" gap="sm">
                  <Radio.Indicator />
                  <ThemeIcon variant="light" radius="xl" size={32} color={c.tipo === 'email' ? 'indigo' : 'teal'}>
                    {c.tipo === 'email' ? <IconMail size={18} /> : <IconDeviceMobileMessage size={18} />}
                  </ThemeIcon>
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text size="xs" c="dimmed">
                      {c.tipo === 'email' ? 'E-mail' : 'SMS para o celular'}
                    </Text>
                    <Text size="sm" fw={600} ff="monospace" truncate>
                      {c.ofuscado}
                    </Text>
                  </Stack>
                </Group>
              </Radio.Card>
            ))}
          </Stack>
        </Radio.Group>
        <Button type="submit" size="md" fullWidth loading={enviar.isPending}>
          Enviar código
        </Button>
      </Stack>
    </Paper>
  );
}

function DicaDeDesenvolvimento() {
  return (
    <Alert color="grape" variant="light" icon={<IconFlask size={18} />} title="Ambiente de desenvolvimento">
      <Text size="sm">
        O código foi para a caixa de saída de desenvolvimento — abra{' '}
        <Anchor href="/painel/caixa-de-saida" target="_blank" rel="noopener" size="sm" fw={600}>
          Painel → Caixa de saída (dev)
        </Anchor>
        .
      </Text>
    </Alert>
  );
}

function Codigo({
  api,
  passo,
  onReenviado,
  onOutroContato,
  onVerificado,
  onRecomecar,
}: {
  api: AppApi;
  passo: Extract<Passo, { nome: 'codigo' }>;
  onReenviado: (enviado: CodigoEnviado) => void;
  onOutroContato: () => void;
  onVerificado: () => void;
  onRecomecar: () => void;
}) {
  const [codigo, setCodigo] = useState('');
  const [incompleto, setIncompleto] = useState(false);
  const verificar = useMutation({ mutationFn: (valor: string) => api.verificar(passo.id, valor), onSuccess: onVerificado });
  const reenviar = useMutation({
    mutationFn: () => api.enviarCodigo(passo.id, passo.contato.id),
    onSuccess: (enviado) => {
      setCodigo('');
      verificar.reset();
      onReenviado(enviado);
    },
  });
  const erroDoCodigo =
    verificar.error instanceof AppApiError ? (verificar.error.details.find((d) => d.field === 'codigo')?.message ?? (verificar.error.code === 'VALIDATION_FAILED' ? verificar.error.message : undefined)) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(codigo)) return setIncompleto(true);
    verificar.mutate(codigo);
  };
  const erroDoFluxo = verificar.isError && !erroDoCodigo ? verificar.error : reenviar.isError ? reenviar.error : null;

  return (
    <>
      <Text size="sm" c="dimmed">
        Enviamos um código para <b>{passo.enviado.enviadoPara}</b>. Ele vale até {hora(passo.enviado.expiraEm)}.
      </Text>
      {passo.reenviado ? <AvisoAlert aviso={{ tipo: 'sucesso', texto: `Enviamos um novo código para ${passo.enviado.enviadoPara}; o anterior deixou de valer.` }} /> : null}
      <DicaDeDesenvolvimento />
      <Paper withBorder radius="lg" p="lg" component="form" onSubmit={submit} noValidate>
        <Stack gap="md">
          {erroDoFluxo ? <ErroAlert error={erroDoFluxo} /> : null}
          {erroDoFluxo && fluxoAcabou(erroDoFluxo) ? (
            <Button variant="light" onClick={onRecomecar}>
              Começar de novo
            </Button>
          ) : null}
          <Stack gap={6}>
            <Text component="label" htmlFor="codigo-recuperacao" size="sm" fw={500}>
              Código de 6 dígitos
            </Text>
            <PinInput
              id="codigo-recuperacao"
              length={6}
              type="number"
              oneTimeCode
              size="md"
              value={codigo}
              onChange={(valor) => {
                setCodigo(valor);
                setIncompleto(false);
                if (verificar.isError) verificar.reset();
              }}
              error={Boolean(erroDoCodigo) || incompleto}
              disabled={verificar.isPending}
              aria-label="Código de 6 dígitos"
              styles={{ root: { justifyContent: 'space-between' } }}
            />
            {erroDoCodigo || incompleto ? (
              <Text size="sm" c="red" role="alert">
                {erroDoCodigo ?? 'Digite os 6 dígitos do código.'}
              </Text>
            ) : null}
          </Stack>
          <Button type="submit" size="md" fullWidth loading={verificar.isPending}>
            Confirmar código
          </Button>
          <Group justify="space-between" gap="xs">
            <Anchor component="button" type="button" size="sm" onClick={() => reenviar.mutate()} disabled={reenviar.isPending}>
              {reenviar.isPending ? 'Reenviando…' : 'Reenviar código'}
            </Anchor>
            <Anchor component="button" type="button" size="sm" onClick={onOutroContato}>
              Usar outro contato
            </Anchor>
          </Group>
        </Stack>
      </Paper>
    </>
  );
}

function NovaSenha({ api, id, form, onConcluido, onRecomecar }: { api: AppApi; id: string; form: FormularioDoApp; onConcluido: (mensagem: string) => void; onRecomecar: () => void }) {
  const definir = useMutation({ mutationFn: (campos: ValoresFormulario) => api.novaSenha(id, campos), onSuccess: (r) => onConcluido(r.mensagem) });
  return (
    <>
      <Text size="sm" c="dimmed">
        Código confirmado. Agora escolha a nova senha de acesso.
      </Text>
      <FormularioEnviavel
        form={form}
        idPrefix="nova-senha"
        error={definir.error}
        pending={definir.isPending}
        titulo="Não foi possível definir a nova senha"
        botao="Salvar nova senha"
        onSubmit={(valores) => definir.mutate(valores)}
      />
      {definir.isError && fluxoAcabou(definir.error) ? (
        <Button variant="light" onClick={onRecomecar}>
          Começar de novo
        </Button>
      ) : null}
    </>
  );
}

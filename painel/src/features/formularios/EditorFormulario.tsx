import { Alert, Badge, Box, Button, Code, Grid, Group, Paper, Select, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowLeft, IconDeviceFloppy, IconPlus, IconStar } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import type { ErrorDetail } from '../../api/client.ts';
import type { Formulario, Instancia, FinalidadeFormulario } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formPath, notifyError, notifySuccess } from '../../lib/errors.ts';
import { metodoLabels } from '../../lib/labels.ts';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { useUnsavedChangesGuard } from '../../lib/unsaved-changes.tsx';
import { useContratos } from '../contratos/api.ts';
import { useFormularios, useSaveFormulario } from './api.ts';
import { useUsarComConfirmacao } from './use-usar-formulario.tsx';
import { CampoEditorCard, idDoBotao } from './CampoEditorCard.tsx';
import { PreviaFormulario } from './PreviaFormulario.tsx';
import { campoParaEnvio, campoVazio, limites, paraEnvio, validarFormulario, type FormularioEditor } from './regras.ts';
import { corDeTexto } from '../../theme.ts';

type ErroDoServidor = { caminho: string; mensagem: string; valor: string };

/** The value at a dot path (`campos.2.nome`), as JSON: what a server message was about. */
function valorEm(valores: unknown, caminho: string): string {
  let atual: unknown = valores;
  for (const chave of caminho.split('.')) atual = atual !== null && typeof atual === 'object' ? (atual as Record<string, unknown>)[chave] : undefined;
  return JSON.stringify(atual) ?? 'undefined';
}

export const finalidades: FinalidadeFormulario[] = ['login', 'recuperarSenhaIdentificacao', 'recuperarSenhaNovaSenha', 'trocarSenha'];

/**
 * Creates or edits a form: its name, the method it feeds, and the ordered fields, with the live
 * preview beside them. `formulario` is the stored form being edited (absent for a new one or a copy).
 */
export function EditorFormulario({
  clienteId,
  instancia,
  inicial,
  formulario,
  onVoltar,
  onSalvo,
}: {
  clienteId: string;
  instancia: Instancia;
  inicial: FormularioEditor;
  formulario?: Formulario | undefined;
  onVoltar: () => void;
  /** After the first save of a new form: the screen switches to editing it. */
  onSalvo: (salvo: Formulario) => void;
}) {
  const save = useSaveFormulario(clienteId, instancia);
  const contratos = useContratos();
  const [moverFoco, setMoverFoco] = useState<string | null>(null);

  const form = useForm<FormularioEditor>({ initialValues: inicial, clearInputErrorOnChange: false });
  const reservados = useMemo(
    () => contratos.data?.find((c) => c.metodo === form.values.finalidade)?.requisicao.camposFixos.map((c) => c.nome) ?? [],
    [contratos.data, form.values.finalidade],
  );
  // The rules run on every change; a problem shows once its field was changed, or after "Salvar".
  const problemas = validarFormulario(form.values, reservados);
  const [tentouSalvar, setTentouSalvar] = useState(false);
  // The server's messages, each kept while the value it was about stays as it was sent.
  const [errosDoServidor, setErrosDoServidor] = useState<ErroDoServidor[]>([]);
  const guardarErrosDoServidor = (campos: Record<string, string>) =>
    setErrosDoServidor(Object.entries(campos).map(([caminho, mensagem]) => ({ caminho, mensagem, valor: valorEm(form.values, caminho) })));

  const visiveis: Record<string, string> = {};
  for (const [caminho, mensagem] of Object.entries(problemas)) if (tentouSalvar || form.isTouched(caminho)) visiveis[caminho] = mensagem;
  for (const erro of errosDoServidor) if (valorEm(form.values, erro.caminho) === erro.valor) visiveis[erro.caminho] ??= erro.mensagem;
  // The form's errors are derived from the values: kept in step after every render (Mantine's own
  // validation, which has no rules here, would otherwise clear them on submit).
  const chaveDosErros = JSON.stringify(visiveis);
  useEffect(() => {
    if (JSON.stringify(form.errors) !== chaveDosErros) form.setErrors(visiveis);
  });

  const { rest, showAlert } = useApiFormErrors({ values: form.values, setErrors: guardarErrosDoServidor }, save.error);

  // After a refused save, take the user to the first field with a problem.
  const [irAoErro, setIrAoErro] = useState(0);
  useEffect(() => {
    if (irAoErro === 0) return;
    const timer = setTimeout(() => {
      const campo = document.querySelector<HTMLElement>('#editor-formulario [aria-invalid="true"]');
      campo?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      campo?.focus({ preventScroll: true });
    }, 60);
    return () => clearTimeout(timer);
  }, [irAoErro]);

  useEffect(() => {
    if (!moverFoco) return;
    document.getElementById(moverFoco)?.focus();
    setMoverFoco(null);
  }, [moverFoco]);

  const emUso = formulario?.emUso ?? false;
  const definicao = paraEnvio(form.values);
  const campos = form.values.campos.map((c) => ({ chave: c.chave, campo: campoParaEnvio(c, form.values.finalidade) }));
  const quantosProblemas = Object.keys(problemas).length;

  function mover(de: number, para: number) {
    const campo = form.values.campos[de];
    if (!campo || para < 0 || para >= form.values.campos.length) return;
    form.reorderListItem('campos', { from: de, to: para });
    // The card moved in the DOM, which drops the focus: give it back to the same button, or to the
    // other one when the card reached the end it was moving to.
    const acao = para < de ? (para === 0 ? 'descer' : 'subir') : para === form.values.campos.length - 1 ? 'subir' : 'descer';
    setMoverFoco(idDoBotao(campo.chave, acao));
  }

  function remover(index: number) {
    form.removeListItem('campos', index);
  }

  function adicionar() {
    const novo = campoVazio();
    form.insertListItem('campos', novo);
    setTimeout(() => document.getElementById(`campo-${novo.chave}-rotulo`)?.focus());
  }

  const salvar = form.onSubmit(() => {
    setTentouSalvar(true);
    if (quantosProblemas > 0) {
      setIrAoErro((n) => n + 1);
      return;
    }
    save.mutate(
      { id: formulario?.id, definicao },
      {
        onSuccess: (salvo) => {
          setErrosDoServidor([]);
          form.setInitialValues(form.values);
          form.resetDirty(form.values);
          notifySuccess(
            salvo.emUso ? `"${salvo.nome}" foi salvo e o app já passa a usá-lo.` : `"${salvo.nome}" foi salvo.`,
            formulario ? 'Formulário salvo' : 'Formulário criado',
          );
          if (!formulario) {
            guard.liberar();
            onSalvo(salvo);
          }
        },
        onError: () => setIrAoErro((n) => n + 1),
      },
    );
  });

  // Leaving with unsaved edits (Voltar, the sidebar, the instância switch, closing the tab) asks first.
  const guard = useUnsavedChangesGuard(form.isDirty(), 'As alterações deste formulário ainda não foram salvas e serão perdidas.');
  const voltar = onVoltar;

  const lista = useFormularios(clienteId, instancia);
  const { pedir, dialog: confirmarUso, usar } = useUsarComConfirmacao(clienteId, instancia, lista.data);
  function usarEste() {
    if (formulario) pedir(formulario.finalidade, formulario);
  }

  const acoes = (
    <>
      <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={voltar}>
        Voltar
      </Button>
      {formulario && !emUso ? (
        <Tooltip label="Salve as alterações antes" disabled={!form.isDirty()}>
          <Button variant="light" color="teal" leftSection={<IconStar size={16} />} onClick={usarEste} loading={usar.isPending} disabled={form.isDirty()}>
            Usar em {metodoLabels[formulario.finalidade]}
          </Button>
        </Tooltip>
      ) : null}
      <Button type="submit" form="editor-formulario" leftSection={<IconDeviceFloppy size={16} />} loading={save.isPending}>
        {formulario ? 'Salvar' : 'Criar formulário'}
      </Button>
    </>
  );

  const erroDosCampos = form.errors.campos;

  return (
    <>
      <PageHeader
        title={formulario ? `Editar "${formulario.nome}"` : 'Novo formulário'}
        badge={
          <Group gap="xs">
            <InstanciaBadge />
            {emUso ? (
              <Badge color="teal" variant="light" size="lg" radius="sm">
                Em uso pelo app
              </Badge>
            ) : null}
          </Group>
        }
        description="Os campos que o app mostra para este método e os nomes com que cada valor vai à operadora. A prévia ao lado mostra o formulário como no app; a Ponte valida o envio com esta mesma definição."
        actions={acoes}
      />
      <form id="editor-formulario" onSubmit={salvar} noValidate>
        <Grid gutter="lg">
          <Grid.Col span="auto" miw={0}>
            <Stack gap="md">
              {showAlert ? <ErrorAlert error={save.error} details={rest} title="Não foi possível salvar" /> : null}
              {tentouSalvar && quantosProblemas > 0 ? (
                <Alert color="orange" variant="light" title="Há campos a corrigir" role="alert">
                  <Text size="sm">
                    {quantosProblemas === 1 ? 'Um problema está indicado' : `${quantosProblemas} problemas estão indicados`} abaixo, ao lado de cada campo.
                  </Text>
                </Alert>
              ) : null}
              <Paper withBorder radius="md" p="md">
                <Grid gutter="sm">
                  <Grid.Col span={7}>
                    <TextInput label="Nome do formulário" description="Só para o painel; o app não o mostra" required data-autofocus {...form.getInputProps('nome')} />
                  </Grid.Col>
                  <Grid.Col span={5}>
                    <Tooltip label="Em uso pelo app: escolha outro formulário para este método antes de mudar a finalidade" disabled={!emUso} multiline w={260}>
                      <div>
                        <Select
                          label="Finalidade (método)"
                          description="O método que recebe os campos"
                          data={finalidades.map((f) => ({ value: f, label: metodoLabels[f] }))}
                          allowDeselect={false}
                          disabled={emUso}
                          {...form.getInputProps('finalidade')}
                        />
                      </div>
                    </Tooltip>
                  </Grid.Col>
                </Grid>
                {reservados.length > 0 ? (
                  <Text size="xs" c="dimmed" mt="sm">
                    A Ponte já envia {reservados.map((r, i) => (
                      <span key={r}>
                        {i > 0 ? ' e ' : ''}
                        <Code>{r}</Code>
                      </span>
                    ))}{' '}
                    neste método: nenhum campo pode usar esses nomes.
                  </Text>
                ) : null}
              </Paper>

              <Group justify="space-between" mt="xs">
                <Title order={4}>
                  Campos{' '}
                  <Text span c="dimmed" fw={400} size="sm">
                    ({form.values.campos.length} de {limites.maxCampos})
                  </Text>
                </Title>
                <Text size="xs" c="dimmed">
                  Na ordem em que o app os mostra
                </Text>
              </Group>
              {erroDosCampos ? (
                <Text size="sm" c={corDeTexto('red')} role="alert">
                  {erroDosCampos}
                </Text>
              ) : null}
              {form.values.campos.map((campo, index) => (
                <CampoEditorCard key={campo.chave} form={form} index={index} total={form.values.campos.length} onMover={mover} onRemover={remover} />
              ))}
              <Button
                variant="light"
                leftSection={<IconPlus size={16} />}
                onClick={adicionar}
                disabled={form.values.campos.length >= limites.maxCampos}
                style={{ alignSelf: 'flex-start' }}
              >
                Adicionar campo
              </Button>
            </Stack>
          </Grid.Col>
          <Grid.Col span="content">
            <Box pos="sticky" top={80}>
              <PreviaFormulario
                clienteId={clienteId}
                instancia={instancia}
                campos={campos}
                definicao={definicao}
                problemasDaDefinicao={quantosProblemas}
                onErrosDaDefinicao={(details: ErrorDetail[]) => guardarErrosDoServidor(Object.fromEntries(details.filter((d) => d.field).map((d) => [formPath(d.field!), d.message])))}
              />
            </Box>
          </Grid.Col>
        </Grid>
      </form>
      {guard.dialog}
      {confirmarUso}
    </>
  );
}

import { Alert, Button, Group, Text, Tooltip } from '@mantine/core';
import { IconArrowLeft, IconCopy, IconForms, IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { Formulario, ListaFormularios, FinalidadeFormulario } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { InstanciaBadge } from '../../components/InstanciaBadge.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { TableSkeleton } from '../../components/TableSkeleton.tsx';
import { notifyError, notifySuccess } from '../../lib/errors.ts';
import { metodoLabels } from '../../lib/labels.ts';
import { useCliente } from '../shell/workspace.tsx';
import { useFormularios, useRemoveFormulario } from './api.ts';
import { useUsarComConfirmacao } from './use-usar-formulario.tsx';
import { EditorFormulario, finalidades } from './EditorFormulario.tsx';
import { FormulariosPorMetodo } from './FormulariosPorMetodo.tsx';
import { campoVazio, nomeDaCopia, paraEditor, type FormularioEditor } from './regras.ts';
import { VisualizarFormulario } from './VisualizarFormulario.tsx';

const ehFinalidade = (valor: string | null): valor is FinalidadeFormulario => finalidades.includes(valor as FinalidadeFormulario);

/**
 * What the screen shows, from the address (so a form can be linked to and the browser's back
 * button returns to the list): `?formulario=<id>` edits (or, for a leitor, shows) a form;
 * `?novo=<método>`, `?copiar=<id>` and `?personalizar=<método>` open a new one; `?padrao=<método>`
 * shows a default form.
 */
type Tela =
  | { tipo: 'lista' }
  | { tipo: 'formulario'; id: string }
  | { tipo: 'novo'; finalidade: FinalidadeFormulario }
  | { tipo: 'copiar'; id: string }
  | { tipo: 'personalizar'; finalidade: FinalidadeFormulario }
  | { tipo: 'padrao'; finalidade: FinalidadeFormulario };

function telaDe(params: URLSearchParams): Tela {
  const formulario = params.get('formulario');
  if (formulario) return { tipo: 'formulario', id: formulario };
  const copiar = params.get('copiar');
  if (copiar) return { tipo: 'copiar', id: copiar };
  const novo = params.get('novo');
  if (novo !== null) return { tipo: 'novo', finalidade: ehFinalidade(novo) ? novo : 'login' };
  const personalizar = params.get('personalizar');
  if (ehFinalidade(personalizar)) return { tipo: 'personalizar', finalidade: personalizar };
  const padrao = params.get('padrao');
  if (ehFinalidade(padrao)) return { tipo: 'padrao', finalidade: padrao };
  return { tipo: 'lista' };
}

function NaoEncontrado({ onVoltar }: { onVoltar: () => void }) {
  return (
    <>
      <PageHeader title="Formulários" badge={<InstanciaBadge />} />
      <EmptyState
        icon={<IconForms size={28} />}
        title="Formulário não encontrado nesta instância"
        description="Ele pode ter sido removido, ou pertencer à outra instância (Sandbox ou Produção): confira a instância no topo da página."
        action={
          <Button variant="light" leftSection={<IconArrowLeft size={16} />} onClick={onVoltar}>
            Ver os formulários
          </Button>
        }
      />
    </>
  );
}

export function FormulariosPage() {
  const { clienteId, instancia, podeEditar } = useCliente();
  const formularios = useFormularios(clienteId, instancia);
  const { pedir: usarFormulario, dialog: confirmarUso, usar } = useUsarComConfirmacao(clienteId, instancia, formularios.data);
  const remove = useRemoveFormulario(clienteId, instancia);
  const [params, setParams] = useSearchParams();
  const [removendo, setRemovendo] = useState<Formulario | null>(null);
  const tela = telaDe(params);
  const ir = (novos: Record<string, string>, replace = false) => setParams(novos, { replace });
  const voltar = () => ir({});

  if (formularios.isPending) {
    return (
      <>
        <PageHeader title="Formulários" badge={<InstanciaBadge />} />
        <TableSkeleton rows={6} />
      </>
    );
  }
  if (formularios.isError) {
    return (
      <>
        <PageHeader title="Formulários" badge={<InstanciaBadge />} />
        <ErrorAlert error={formularios.error} title="Não foi possível carregar os formulários" />
      </>
    );
  }
  const lista: ListaFormularios = formularios.data;
  const porId = (id: string) => lista.formularios.find((f) => f.id === id);
  const padraoDe = (finalidade: FinalidadeFormulario) => lista.finalidades.find((f) => f.finalidade === finalidade)!;

  const editor = (inicial: FormularioEditor, formulario?: Formulario) => (
    <EditorFormulario
      key={params.toString()}
      clienteId={clienteId}
      instancia={instancia}
      inicial={inicial}
      formulario={formulario}
      onVoltar={voltar}
      onSalvo={(salvo) => ir({ formulario: salvo.id }, true)}
    />
  );

  if (tela.tipo === 'formulario' || tela.tipo === 'copiar') {
    const formulario = porId(tela.id);
    if (!formulario) return <NaoEncontrado onVoltar={voltar} />;
    if (tela.tipo === 'copiar' && podeEditar) return editor({ ...paraEditor(formulario), nome: nomeDaCopia(formulario.nome) });
    if (podeEditar) return editor(paraEditor(formulario), formulario);
    return (
      <VisualizarFormulario
        clienteId={clienteId}
        instancia={instancia}
        definicao={formulario}
        titulo={formulario.nome}
        emUso={formulario.emUso}
        atualizadoEm={formulario.atualizadoEm}
        descricao="Seu papel permite ver os formulários, não alterá-los. Experimente o formulário na prévia: a Ponte valida o que você digitar como valida o envio do app."
        acoes={
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={voltar}>
            Voltar
          </Button>
        }
      />
    );
  }

  if (podeEditar && (tela.tipo === 'novo' || tela.tipo === 'personalizar')) {
    if (tela.tipo === 'personalizar') {
      const padrao = padraoDe(tela.finalidade).padrao;
      return editor({ ...paraEditor(padrao), nome: `${metodoLabels[tela.finalidade]} personalizado` });
    }
    return editor({ nome: '', finalidade: tela.finalidade, campos: [campoVazio()] });
  }

  if (tela.tipo === 'padrao') {
    const finalidade = padraoDe(tela.finalidade);
    return (
      <VisualizarFormulario
        clienteId={clienteId}
        instancia={instancia}
        definicao={finalidade.padrao}
        titulo={`Formulário padrão — ${finalidade.metodo}`}
        emUso={finalidade.usaPadrao}
        descricao="Derivado do contrato do método: os campos que a operadora espera receber. Ele é usado enquanto nenhum formulário próprio for escolhido para o método; para mudar rótulos, máscaras ou regras, crie uma cópia."
        acoes={
          <>
            <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={voltar}>
              Voltar
            </Button>
            {podeEditar ? (
              <Button leftSection={<IconCopy size={16} />} onClick={() => ir({ personalizar: tela.finalidade })}>
                Personalizar
              </Button>
            ) : null}
          </>
        }
      />
    );
  }

  const novoBotao = (
    <Tooltip label="Seu papel não permite alterar a configuração" disabled={podeEditar}>
      <Button leftSection={<IconPlus size={16} />} onClick={() => ir({ novo: 'login' })} disabled={!podeEditar}>
        Novo formulário
      </Button>
    </Tooltip>
  );

  return (
    <>
      <PageHeader
        title="Formulários"
        badge={<InstanciaBadge />}
        description="Os campos que o app mostra no login, na recuperação e na troca de senha, e os nomes com que cada valor chega à operadora. Cada método usa o formulário marcado como em uso — ou o padrão, derivado do contrato — e a Ponte valida o envio do app com a mesma definição antes de chamar a operadora."
        actions={novoBotao}
      />
      {lista.formularios.length === 0 ? (
        <Alert variant="light" color="indigo" icon={<IconForms size={18} />} title="O app usa os formulários padrão nesta instância" mb="lg">
          <Group justify="space-between" align="flex-end" wrap="nowrap">
            <Text size="sm">
              Eles vêm dos contratos dos métodos. Personalize um para trocar rótulos, máscaras e regras, ou crie um formulário do zero — e escolha-o para o método.
            </Text>
            {podeEditar ? (
              <Button size="xs" variant="white" leftSection={<IconPencil size={14} />} onClick={() => ir({ personalizar: 'login' })} style={{ flexShrink: 0 }}>
                Personalizar o login
              </Button>
            ) : null}
          </Group>
        </Alert>
      ) : null}
      <FormulariosPorMetodo
        lista={lista}
        podeEditar={podeEditar}
        usando={usar.isPending ? (usar.variables?.formularioId ?? null) : null}
        usandoPadrao={usar.isPending && usar.variables?.formularioId === null}
        acoes={{
          abrir: (id) => ir({ formulario: id }),
          novo: (finalidade) => ir({ novo: finalidade }),
          copiar: (id) => ir({ copiar: id }),
          verPadrao: (finalidade) => ir({ padrao: finalidade }),
          personalizar: (finalidade) => ir({ personalizar: finalidade }),
          usar: usarFormulario,
          remover: setRemovendo,
        }}
      />
      {confirmarUso}
      <ConfirmDialog
        opened={removendo !== null}
        title="Remover formulário"
        confirmLabel="Remover formulário"
        loading={remove.isPending}
        onClose={() => setRemovendo(null)}
        onConfirm={() =>
          removendo &&
          remove.mutate(removendo.id, {
            onSuccess: () => {
              notifySuccess(`Formulário "${removendo.nome}" removido.`);
              setRemovendo(null);
            },
            onError: (error) => notifyError(error),
          })
        }
      >
        <Text size="sm">
          O formulário <b>{removendo?.nome}</b> ({removendo ? metodoLabels[removendo.finalidade] : ''}) será removido. Ele não está em uso: o app não muda. Esta ação não pode ser desfeita.
        </Text>
      </ConfirmDialog>
    </>
  );
}

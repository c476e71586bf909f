import { Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { Formulario, Instancia, ListaFormularios, FinalidadeFormulario } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { notifyError } from '../../lib/errors.ts';
import { notifyWithUndo } from '../../lib/notify-undo.tsx';
import { metodoLabels } from '../../lib/labels.ts';
import { useUsarFormulario } from './api.ts';

type Pedido = { finalidade: FinalidadeFormulario; formulario: Formulario | null };

/**
 * "Usar": switches the form the app shows for a method — live, for every beneficiary. In Produção
 * it asks first; anywhere, the notification offers "Desfazer" (back to the form in use before).
 */
export function useUsarComConfirmacao(clienteId: string, instancia: Instancia, lista: ListaFormularios | undefined) {
  const usar = useUsarFormulario(clienteId, instancia);
  const [pedido, setPedido] = useState<Pedido | null>(null);

  const nomeDe = (formulario: Formulario | null) => (formulario ? `"${formulario.nome}"` : 'o formulário padrão');

  function executar({ finalidade, formulario }: Pedido) {
    const anterior = lista?.formularios.find((f) => f.finalidade === finalidade && f.emUso) ?? null;
    usar.mutate(
      { finalidade, formularioId: formulario?.id ?? null },
      {
        onSuccess: () => {
          setPedido(null);
          notifyWithUndo(`O app passa a usar ${nomeDe(formulario)} em ${metodoLabels[finalidade]}.`, 'Formulário em uso', () =>
            usar.mutate(
              { finalidade, formularioId: anterior?.id ?? null },
              { onError: (error) => notifyError(error, 'Não foi possível desfazer') },
            ),
          );
        },
        onError: (error) => {
          setPedido(null);
          notifyError(error);
        },
      },
    );
  }

  function pedir(finalidade: FinalidadeFormulario, formulario: Formulario | null) {
    if (instancia === 2) setPedido({ finalidade, formulario });
    else executar({ finalidade, formulario });
  }

  const dialog: ReactNode = (
    <ConfirmDialog
      opened={pedido !== null}
      title="Trocar o formulário em Produção?"
      confirmLabel="Trocar em Produção"
      loading={usar.isPending}
      onClose={() => setPedido(null)}
      onConfirm={() => pedido && executar(pedido)}
    >
      <Text size="sm">
        O app em produção passa a mostrar {pedido ? nomeDe(pedido.formulario) : ''} em {pedido ? metodoLabels[pedido.finalidade] : ''} imediatamente, para todos os beneficiários.
        Você poderá desfazer logo depois.
      </Text>
    </ConfirmDialog>
  );

  return { pedir, dialog, usar };
}

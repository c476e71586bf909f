import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, type ReactNode } from 'react';
import { useBlocker, useLocation, type Location } from 'react-router';
import { parseWorkspacePath } from '../features/shell/workspace.tsx';

const semBase = (pathname: string) => pathname.replace(/^\/painel(?=\/)/, '');
const nomeDaInstancia = (pathname: string) => {
  const instancia = parseWorkspacePath(semBase(pathname))?.instancia;
  return instancia === 2 ? 'Produção' : instancia === 1 ? 'Sandbox' : null;
};

/** What leaving means, in the dialog: another instância, another cliente, or another screen. */
function destino(atual: Location, proxima: Location): string {
  // The blocker's location may carry the router's basename.
  const de = parseWorkspacePath(semBase(atual.pathname));
  const para = parseWorkspacePath(semBase(proxima.pathname));
  if (de && para && de.clienteId !== para.clienteId) return 'Você vai trocar de cliente.';
  if (de && para && de.instancia !== para.instancia) return `Você vai trocar para a instância ${nomeDaInstancia(proxima.pathname)}.`;
  return 'Você vai sair desta tela.';
}

/**
 * Asks before leaving a screen with unsaved edits — a link of the sidebar, the instância or
 * cliente switch, the browser's back button (in-app navigations, through react-router's blocker)
 * and closing or reloading the tab (the browser's own `beforeunload` prompt).
 *
 * Render `dialog` somewhere in the screen. Call `liberar()` right before a navigation the screen
 * makes itself after saving (the form still counts as edited until it renders again).
 */
export function useUnsavedChangesGuard(when: boolean, mensagem = 'As alterações desta tela ainda não foram salvas e serão perdidas.'): { dialog: ReactNode; liberar: () => void } {
  const whenRef = useRef(when);
  whenRef.current = when;
  const liberado = useRef(false);
  const location = useLocation();

  const blocker = useBlocker(
    useCallback(({ currentLocation, nextLocation }: { currentLocation: Location; nextLocation: Location }) => {
      if (liberado.current) {
        liberado.current = false;
        return false;
      }
      return whenRef.current && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search);
    }, []),
  );

  useEffect(() => {
    if (!when) return;
    const antesDeSair = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only with a returnValue set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', antesDeSair);
    return () => window.removeEventListener('beforeunload', antesDeSair);
  }, [when]);

  // The edits were saved or discarded while a navigation waited: let it go.
  useEffect(() => {
    if (blocker.state === 'blocked' && !when) blocker.proceed();
  }, [blocker, when]);

  const bloqueado = blocker.state === 'blocked';
  const dialog = (
    <Modal
      opened={bloqueado}
      onClose={() => blocker.reset?.()}
      title={<Text fw={600}>Sair sem salvar?</Text>}
      centered
      data-testid="aviso-alteracoes-nao-salvas"
    >
      <Stack gap="lg">
        <Text size="sm">
          {bloqueado ? `${destino(location, blocker.location)} ` : ''}
          {mensagem}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
            Continuar editando
          </Button>
          <Button color="red" onClick={() => blocker.proceed?.()}>
            Sair sem salvar
          </Button>
        </Group>
      </Stack>
    </Modal>
  );

  return { dialog, liberar: () => (liberado.current = true) };
}

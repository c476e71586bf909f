import { useLocalStorage } from '@mantine/hooks';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Instancia, Papel, Sessao } from '../../api/types.ts';

const rank: Record<Papel, number> = { leitor: 1, editor: 2, admin: 3 };

export type Workspace = {
  sessao: Sessao;
  clienteId: string | null;
  clienteNome: string | null;
  instancia: Instancia;
  instanciaNome: 'Sandbox' | 'Produção';
  papel: Papel | null;
  /** editor or admin: grupos, integração, validador. */
  podeEditar: boolean;
  /** admin: tokens do cliente, origens. */
  podeAdministrar: boolean;
  setClienteId(id: string): void;
  setInstancia(instancia: Instancia): void;
};

const WorkspaceContext = createContext<Workspace | null>(null);

const CLIENTE_KEY = 'ponte.painel.cliente';

/** Opens the painel on this cliente next time the workspace mounts (after accepting an invitation). */
export function lembrarCliente(clienteId: string): void {
  // Same encoding as Mantine's useLocalStorage (JSON).
  window.localStorage.setItem(CLIENTE_KEY, JSON.stringify(clienteId));
}

/** Which cliente and instância every screen works on; remembered in this browser. */
export function WorkspaceProvider({ sessao, children }: { sessao: Sessao; children: ReactNode }) {
  const [storedCliente, setClienteId] = useLocalStorage<string>({ key: CLIENTE_KEY, defaultValue: '', getInitialValueInEffect: false });
  const [storedInstancia, setInstancia] = useLocalStorage<Instancia>({ key: 'ponte.painel.instancia', defaultValue: 1, getInitialValueInEffect: false });

  const value = useMemo<Workspace>(() => {
    const cliente = sessao.clientes.find((c) => c.id === storedCliente) ?? sessao.clientes[0] ?? null;
    const instancia: Instancia = storedInstancia === 2 ? 2 : 1;
    const papel = cliente?.papel ?? null;
    return {
      sessao,
      clienteId: cliente?.id ?? null,
      clienteNome: cliente?.nome ?? null,
      instancia,
      instanciaNome: instancia === 1 ? 'Sandbox' : 'Produção',
      papel,
      podeEditar: papel !== null && rank[papel] >= rank.editor,
      podeAdministrar: papel !== null && rank[papel] >= rank.admin,
      setClienteId,
      setInstancia,
    };
  }, [sessao, storedCliente, storedInstancia, setClienteId, setInstancia]);

  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace fora do WorkspaceProvider');
  return workspace;
}

/** For screens that need a cliente: the shell renders them only when one is selected. */
export function useCliente(): Workspace & { clienteId: string } {
  const workspace = useWorkspace();
  if (!workspace.clienteId) throw new Error('nenhum cliente selecionado');
  return workspace as Workspace & { clienteId: string };
}

export const papelLabels: Record<Papel, string> = { admin: 'Administrador', editor: 'Editor', leitor: 'Leitor' };

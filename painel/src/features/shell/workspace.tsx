import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { Instancia, Papel, Sessao } from '../../api/types.ts';

const rank: Record<Papel, number> = { leitor: 1, editor: 2, admin: 3 };

export type Workspace = {
  sessao: Sessao;
  clienteId: string | null;
  clienteNome: string | null;
  /** The cliente's numeric code: the `idCliente` of its temp tokens. */
  clienteCodigo: number | null;
  instancia: Instancia;
  instanciaNome: 'Sandbox' | 'Produção';
  papel: Papel | null;
  /** editor or admin: grupos, integração, validador. */
  podeEditar: boolean;
  /** admin: tokens do cliente, origens. */
  podeAdministrar: boolean;
  /** Opens the same screen for another cliente (a navigation: screens with unsaved edits ask first). */
  setClienteId(id: string): void;
  /** Opens the same screen in the other instância (a navigation: screens with unsaved edits ask first). */
  setInstancia(instancia: Instancia): void;
  /** The screen part of the address (`integracao`, `seguranca/grupos`, `` for the Painel inicial). */
  tela: string;
  /** The address of a screen of this cliente and instância: `link('seguranca/grupos')` → `/cli_…/sandbox/seguranca/grupos`. */
  link(tela: string, instancia?: Instancia): string;
  /** The cliente named in the address is not one this user can open (a shared link to another cliente). */
  clienteDaUrlInvalido: boolean;
};

const WorkspaceContext = createContext<Workspace | null>(null);

const CLIENTE_KEY = 'ponte.painel.cliente';
/** This tab's last cliente and instância (sessionStorage: every tab keeps its own). */
const TAB_KEY = 'ponte.painel.aba';

export const instanciaSlugs: Record<Instancia, 'sandbox' | 'producao'> = { 1: 'sandbox', 2: 'producao' };
const instanciaDoSlug = (slug: string | undefined): Instancia | null => (slug === 'sandbox' ? 1 : slug === 'producao' ? 2 : null);

/** Opens the painel on this cliente next time the workspace mounts (after accepting an invitation). */
export function lembrarCliente(clienteId: string): void {
  // Same encoding as before (JSON), so a browser that remembered a cliente keeps it.
  window.localStorage.setItem(CLIENTE_KEY, JSON.stringify(clienteId));
}

function lerJson<T>(storage: Storage, key: string): T | null {
  try {
    const raw = storage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

/** Paths that belong to no cliente. */
const semCliente = new Set(['conta']);

/**
 * `/<cliente>/<sandbox|producao>/<tela>` → its parts; anything else (an address from before the
 * cliente and instância were in it, `/conta`) → null.
 */
export function parseWorkspacePath(pathname: string): { clienteId: string; instancia: Instancia; tela: string } | null {
  const segments = pathname.split('/').filter(Boolean);
  const instancia = instanciaDoSlug(segments[1]);
  if (!segments[0] || instancia === null || semCliente.has(segments[0])) return null;
  return { clienteId: decodeURIComponent(segments[0]), instancia, tela: segments.slice(2).join('/') };
}

export function workspacePath(clienteId: string, instancia: Instancia, tela = ''): string {
  return `/${encodeURIComponent(clienteId)}/${instanciaSlugs[instancia]}/${tela.replace(/^\/+/, '')}`;
}

/**
 * Which cliente and instância every screen works on: read from the address
 * (`/painel/<cliente>/<sandbox|producao>/<tela>`), so each tab keeps its own and a link opens the
 * same place for whoever receives it. Addresses without them (`/painel/`, `/painel/integracao`,
 * links from before) are completed with this tab's last choice — or the remembered cliente and
 * Sandbox — and replaced in the history.
 */
export function WorkspaceProvider({ sessao, children }: { sessao: Sessao; children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  const daUrl = parseWorkspacePath(location.pathname);

  const value = useMemo<Workspace>(() => {
    const aba = lerJson<{ clienteId: string; instancia: Instancia }>(window.sessionStorage, TAB_KEY);
    const lembrado = lerJson<string>(window.localStorage, CLIENTE_KEY);
    const conhecido = (id: string | null | undefined) => sessao.clientes.find((c) => c.id === id);
    const urlCliente = daUrl ? conhecido(daUrl.clienteId) : undefined;
    const cliente = urlCliente ?? conhecido(aba?.clienteId) ?? conhecido(lembrado) ?? sessao.clientes[0] ?? null;
    const instancia: Instancia = daUrl && urlCliente ? daUrl.instancia : aba?.instancia === 2 ? 2 : 1;
    const papel = cliente?.papel ?? null;
    const tela = daUrl ? daUrl.tela : location.pathname.replace(/^\/+/, '');
    const link = (destino: string, outra?: Instancia) => (cliente ? workspacePath(cliente.id, outra ?? instancia, destino) : `/${destino.replace(/^\/+/, '')}`);
    return {
      sessao,
      clienteId: cliente?.id ?? null,
      clienteNome: cliente?.nome ?? null,
      clienteCodigo: cliente?.codigo ?? null,
      instancia,
      instanciaNome: instancia === 1 ? 'Sandbox' : 'Produção',
      papel,
      podeEditar: papel !== null && rank[papel] >= rank.editor,
      podeAdministrar: papel !== null && rank[papel] >= rank.admin,
      // Replaced below (they need navigate).
      setClienteId: () => undefined,
      setInstancia: () => undefined,
      tela,
      link,
      clienteDaUrlInvalido: daUrl !== null && !urlCliente,
    };
  }, [sessao, daUrl?.clienteId, daUrl?.instancia, daUrl?.tela, location.pathname]);

  // A screen-specific query (a form's id, a log's filters) belongs to its cliente and instância: not carried over.
  const setInstancia = useCallback(
    (instancia: Instancia) => {
      if (value.clienteId && instancia !== value.instancia) navigate(workspacePath(value.clienteId, instancia, value.tela));
    },
    [navigate, value.clienteId, value.instancia, value.tela],
  );
  const setClienteId = useCallback(
    (id: string) => {
      lembrarCliente(id);
      navigate(workspacePath(id, value.instancia, semCliente.has(value.tela) ? '' : value.tela));
    },
    [navigate, value.instancia, value.tela],
  );
  const workspace = useMemo(() => ({ ...value, setInstancia, setClienteId }), [value, setInstancia, setClienteId]);

  // This tab remembers where it is (for `/painel/` and old links); the browser remembers the cliente.
  useEffect(() => {
    if (!workspace.clienteId || workspace.clienteDaUrlInvalido) return;
    window.sessionStorage.setItem(TAB_KEY, JSON.stringify({ clienteId: workspace.clienteId, instancia: workspace.instancia }));
    if (daUrl) lembrarCliente(workspace.clienteId);
  }, [workspace.clienteId, workspace.instancia, workspace.clienteDaUrlInvalido, daUrl !== null]);

  return <WorkspaceContext.Provider value={workspace}>{children}</WorkspaceContext.Provider>;
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

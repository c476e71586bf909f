import { Center, Loader, Stack, Text } from '@mantine/core';
import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { ErrorAlert } from './components/ErrorAlert.tsx';
import { useSession } from './features/auth/api.ts';
import { LoginPage, type LoginState } from './features/auth/LoginPage.tsx';
import { NotFoundPage } from './features/shell/NotFoundPage.tsx';
import { Shell } from './features/shell/Shell.tsx';
import { parseWorkspacePath, useWorkspace, WorkspaceProvider } from './features/shell/workspace.tsx';
import { ClienteSemAcesso } from './features/shell/ClienteSemAcesso.tsx';

// Each screen is its own chunk, loaded when first opened: the login screen does not wait for charts.
const InicioPage = lazy(() => import('./features/inicio/InicioPage.tsx').then((m) => ({ default: m.InicioPage })));
const IntegracaoPage = lazy(() => import('./features/integracao/IntegracaoPage.tsx').then((m) => ({ default: m.IntegracaoPage })));
const ValidadorPage = lazy(() => import('./features/validador/ValidadorPage.tsx').then((m) => ({ default: m.ValidadorPage })));
const LogsPage = lazy(() => import('./features/logs/LogsPage.tsx').then((m) => ({ default: m.LogsPage })));
const GruposPage = lazy(() => import('./features/grupos/GruposPage.tsx').then((m) => ({ default: m.GruposPage })));
const OrigensPage = lazy(() => import('./features/origens/OrigensPage.tsx').then((m) => ({ default: m.OrigensPage })));
const AuditoriaPage = lazy(() => import('./features/auditoria/AuditoriaPage.tsx').then((m) => ({ default: m.AuditoriaPage })));
const TokensPage = lazy(() => import('./features/tokens/TokensPage.tsx').then((m) => ({ default: m.TokensPage })));
const FuncionalidadesPage = lazy(() => import('./features/funcionalidades/FuncionalidadesPage.tsx').then((m) => ({ default: m.FuncionalidadesPage })));
const FormulariosPage = lazy(() => import('./features/formularios/FormulariosPage.tsx').then((m) => ({ default: m.FormulariosPage })));
const UsuariosPage = lazy(() => import('./features/usuarios/UsuariosPage.tsx').then((m) => ({ default: m.UsuariosPage })));
const MinhaContaPage = lazy(() => import('./features/conta/MinhaContaPage.tsx').then((m) => ({ default: m.MinhaContaPage })));
// Pages of the links the painel e-mails (invitation, new password): outside the login, each its own chunk.
const ConvitePage = lazy(() => import('./features/auth/ConvitePage.tsx').then((m) => ({ default: m.ConvitePage })));
const EsqueciSenhaPage = lazy(() => import('./features/auth/EsqueciSenhaPage.tsx').then((m) => ({ default: m.EsqueciSenhaPage })));
const RedefinirSenhaPage = lazy(() => import('./features/auth/RedefinirSenhaPage.tsx').then((m) => ({ default: m.RedefinirSenhaPage })));
const CaixaDeSaidaPage = lazy(() => import('./features/caixa-de-saida/CaixaDeSaidaPage.tsx').then((m) => ({ default: m.CaixaDeSaidaPage })));
const EnvioMensagensPage = lazy(() => import('./features/envio-mensagens/EnvioMensagensPage.tsx').then((m) => ({ default: m.EnvioMensagensPage })));

function ScreenLoader() {
  return (
    <Center mih={320}>
      <Loader aria-label="Carregando a tela" />
    </Center>
  );
}

function FullPageLoader() {
  return (
    <Center mih="100vh">
      <Stack align="center" gap="sm">
        <Loader />
        <Text c="dimmed" size="sm">
          Carregando o painel…
        </Text>
      </Stack>
    </Center>
  );
}

/** Screens behind the login: without a session, the login screen (then back where the user was). */
function RequireSession({ children }: { children: (sessao: NonNullable<ReturnType<typeof useSession>['data']>) => ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <FullPageLoader />;
  if (session.isError)
    return (
      <Center mih="100vh" p="xl">
        <ErrorAlert error={session.error} title="Não foi possível abrir o painel" />
      </Center>
    );
  if (!session.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children(session.data)}</>;
}

function LoginRoute() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <FullPageLoader />;
  if (session.data) {
    const from = (location.state as LoginState | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : '/'} replace />;
  }
  return <LoginPage />;
}

/**
 * An address without the cliente and instância (`/painel/`, `/painel/integracao?…` from before
 * they were in the address): the same screen in this tab's cliente and instância, replacing it in
 * the history.
 */
function ParaOCliente() {
  const { link } = useWorkspace();
  const location = useLocation();
  return <Navigate to={`${link(location.pathname)}${location.search}${location.hash}`} replace />;
}

/** `/:cliente/:instancia/…`: the screens of a cliente the user can open, in a valid instância. */
function TelaDoCliente() {
  const { clienteDaUrlInvalido } = useWorkspace();
  const location = useLocation();
  // `/seguranca/grupos` (an old link) also has two segments: not an instância, so not a cliente's address.
  if (!parseWorkspacePath(location.pathname)) return <ParaOCliente />;
  if (clienteDaUrlInvalido) return <ClienteSemAcesso />;
  return <Outlet />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginRoute />} />
      <Route path="/esqueci-senha" element={<Suspense fallback={<FullPageLoader />}><EsqueciSenhaPage /></Suspense>} />
      <Route path="/redefinir-senha" element={<Suspense fallback={<FullPageLoader />}><RedefinirSenhaPage /></Suspense>} />
      <Route path="/convite" element={<Suspense fallback={<FullPageLoader />}><ConvitePage /></Suspense>} />
      <Route
        element={
          <RequireSession>
            {(sessao) => (
              <WorkspaceProvider sessao={sessao}>
                <Shell fallback={<ScreenLoader />} />
              </WorkspaceProvider>
            )}
          </RequireSession>
        }
      >
        {/* Without a cliente and instância in the address (`/painel/`, old links): this tab's current ones. */}
        <Route index element={<ParaOCliente />} />
        <Route path="conta" element={<MinhaContaPage />} />
        <Route path=":cliente/:instancia" element={<TelaDoCliente />}>
          <Route index element={<InicioPage />} />
          <Route path="integracao" element={<IntegracaoPage />} />
          <Route path="validador" element={<ValidadorPage />} />
          <Route path="logs" element={<LogsPage />} />
          <Route path="seguranca" element={<Navigate to="grupos" replace />} />
          <Route path="seguranca/grupos" element={<GruposPage />} />
          <Route path="seguranca/origens" element={<OrigensPage />} />
          <Route path="seguranca/auditoria" element={<AuditoriaPage />} />
          <Route path="funcionalidades" element={<FuncionalidadesPage />} />
          <Route path="formularios" element={<FormulariosPage />} />
          <Route path="apis" element={<TokensPage />} />
          <Route path="usuarios" element={<UsuariosPage />} />
          <Route path="envio-mensagens" element={<EnvioMensagensPage />} />
          <Route path="caixa-de-saida" element={<CaixaDeSaidaPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="*" element={<ParaOCliente />} />
      </Route>
    </Routes>
  );
}

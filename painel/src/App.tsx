import { Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { ErrorAlert } from './components/ErrorAlert.tsx';
import { useSession } from './features/auth/api.ts';
import { LoginPage } from './features/auth/LoginPage.tsx';
import { AuditoriaPage } from './features/auditoria/AuditoriaPage.tsx';
import { GruposPage } from './features/grupos/GruposPage.tsx';
import { IntegracaoPage } from './features/integracao/IntegracaoPage.tsx';
import { LogsPage } from './features/logs/LogsPage.tsx';
import { OrigensPage } from './features/origens/OrigensPage.tsx';
import { NotFoundPage } from './features/shell/NotFoundPage.tsx';
import { Shell } from './features/shell/Shell.tsx';
import { WorkspaceProvider } from './features/shell/workspace.tsx';
import { TokensPage } from './features/tokens/TokensPage.tsx';
import { ValidadorPage } from './features/validador/ValidadorPage.tsx';

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
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' ? from : '/'} replace />;
  }
  return <LoginPage />;
}

export function App() {
  return (
    <Routes>
      <Route path="/login" element={<LoginRoute />} />
      <Route
        element={
          <RequireSession>
            {(sessao) => (
              <WorkspaceProvider sessao={sessao}>
                <Shell />
              </WorkspaceProvider>
            )}
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="/integracao" replace />} />
        <Route path="integracao" element={<IntegracaoPage />} />
        <Route path="validador" element={<ValidadorPage />} />
        <Route path="logs" element={<LogsPage />} />
        <Route path="seguranca" element={<Navigate to="/seguranca/grupos" replace />} />
        <Route path="seguranca/grupos" element={<GruposPage />} />
        <Route path="seguranca/origens" element={<OrigensPage />} />
        <Route path="seguranca/auditoria" element={<AuditoriaPage />} />
        <Route path="apis" element={<TokensPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

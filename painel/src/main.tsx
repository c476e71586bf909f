import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './painel.css';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { ApiError, setUnauthenticatedHandler } from './api/client.ts';
import { App } from './App.tsx';
import { sessionKeys } from './features/auth/api.ts';
import { cssVariablesResolver, theme } from './theme.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // A 4xx will not get better by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

// Any 401 means the session ended (expired, logged out elsewhere): back to the login screen.
setUnauthenticatedHandler(() => queryClient.setQueryData(sessionKeys.current, null));

// A data router (for useBlocker: screens with unsaved edits ask before leaving); the routes
// themselves are App's <Routes>.
const router = createBrowserRouter([{ path: '*', element: <App /> }], { basename: '/painel' });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* Dark mode follows the system until the user picks one (the header's theme menu; kept in localStorage). */}
    <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="top-right" limit={4} />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);

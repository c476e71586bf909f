import { Anchor, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AppApiError, appApi } from './api.ts';
import { Brand, DeviceFrame, ErroAlert, Hero, type Aviso } from './components.tsx';
import { AppIdScreen } from './screens/AppIdScreen.tsx';
import { HomeScreen } from './screens/HomeScreen.tsx';
import { LoginScreen } from './screens/LoginScreen.tsx';
import { RecuperarSenhaScreen } from './screens/RecuperarSenhaScreen.tsx';
import { TrocarSenhaScreen } from './screens/TrocarSenhaScreen.tsx';
import { WebViewScreen } from './screens/WebViewScreen.tsx';
import type { SessaoCriada, SessaoDoApp } from './types.ts';

/**
 * The beneficiary demo app (`/demo`): what an operator's mobile app does against Ponte's app API,
 * in a phone-sized page. The app id comes from `?app=` (remembered in this browser); the session
 * token lives in sessionStorage, so closing the tab ends it on this side.
 */

const APP_ID_KEY = 'ponte.demo.app';
const sessionKey = (appId: string) => `ponte.demo.sessao.${appId}`;

function initialAppId(): string | null {
  const fromUrl = new URLSearchParams(window.location.search).get('app')?.trim();
  if (fromUrl) {
    localStorage.setItem(APP_ID_KEY, fromUrl);
    return fromUrl;
  }
  return localStorage.getItem(APP_ID_KEY);
}

export function DemoApp() {
  const [appId, setAppId] = useState<string | null>(initialAppId);
  const [recusado, setRecusado] = useState<string | null>(null);

  // The address always names the app shown, so it can be shared or reloaded.
  useEffect(() => {
    const url = new URL(window.location.href);
    if (appId) url.searchParams.set('app', appId);
    else url.searchParams.delete('app');
    window.history.replaceState(null, '', url);
  }, [appId]);

  const escolher = useCallback((id: string) => {
    localStorage.setItem(APP_ID_KEY, id);
    setRecusado(null);
    setAppId(id);
  }, []);
  const trocarApp = useCallback((naoEncontrado?: string) => {
    localStorage.removeItem(APP_ID_KEY);
    setRecusado(naoEncontrado ?? null);
    setAppId(null);
  }, []);

  if (!appId) {
    return (
      <DeviceFrame>
        <AppIdScreen onChoose={escolher} naoEncontrado={recusado} />
      </DeviceFrame>
    );
  }
  return <AppDoId key={appId} appId={appId} onTrocarApp={trocarApp} />;
}

type Tela = { nome: 'login' } | { nome: 'recuperar' } | { nome: 'home' } | { nome: 'trocarSenha' } | { nome: 'webview'; titulo: string; url: string };

function AppDoId({ appId, onTrocarApp }: { appId: string; onTrocarApp: (naoEncontrado?: string) => void }) {
  const api = useMemo(() => appApi(appId), [appId]);
  const queryClient = useQueryClient();
  const configuracao = useQuery({ queryKey: ['demo', 'configuracao', appId], queryFn: api.configuracao, staleTime: 60_000 });

  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(sessionKey(appId)));
  const [tela, setTela] = useState<Tela>(() => (token ? { nome: 'home' } : { nome: 'login' }));
  const [aviso, setAviso] = useState<Aviso | null>(null);
  const sessao = useQuery({ queryKey: ['demo', 'sessao', appId, token], queryFn: () => api.sessaoAtual(token!), enabled: token !== null, staleTime: Infinity });

  /** Back to the login screen, forgetting the session here (the server already did, or will on logout). */
  const encerrar = useCallback(
    (proximo?: Aviso) => {
      sessionStorage.removeItem(sessionKey(appId));
      queryClient.removeQueries({ queryKey: ['demo', 'sessao', appId] });
      setToken(null);
      setTela({ nome: 'login' });
      setAviso(proximo ?? null);
    },
    [appId, queryClient],
  );

  /** Any 401 means the session ended (expired, logged out elsewhere): back to the login. */
  const seSessaoAcabou = useCallback(
    (error: unknown): boolean => {
      if (!(error instanceof AppApiError) || error.status !== 401) return false;
      encerrar({ tipo: 'info', titulo: 'Sua sessão terminou', texto: error.message });
      return true;
    },
    [encerrar],
  );

  useEffect(() => {
    if (sessao.isError) seSessaoAcabou(sessao.error);
  }, [sessao.isError, sessao.error, seSessaoAcabou]);

  const entrou = (criada: SessaoCriada) => {
    const { token: novo, ...view } = criada;
    sessionStorage.setItem(sessionKey(appId), novo);
    queryClient.setQueryData<SessaoDoApp>(['demo', 'sessao', appId, novo], view);
    setToken(novo);
    setAviso(null);
    setTela({ nome: 'home' });
  };

  const sair = async () => {
    if (token) await api.sair(token).catch(() => undefined); // an ended session is just as logged out
    encerrar({ tipo: 'sucesso', texto: 'Você saiu do app.' });
  };

  const caption = (
    <Text size="xs" c="dimmed">
      App do beneficiário — demo da Ponte · id do app <code>{appId}</code> ·{' '}
      <Anchor size="xs" href="/painel/" target="_blank">
        abrir o painel
      </Anchor>
    </Text>
  );

  let content;
  if (configuracao.isPending) content = <Carregando texto="Carregando o app…" />;
  else if (configuracao.isError) {
    const error = configuracao.error;
    if (error instanceof AppApiError && error.code === 'APP_NOT_FOUND') {
      // Rendered from the effect below; nothing to show meanwhile.
      content = <Carregando texto="Procurando o app…" />;
    } else content = <FalhaAoCarregar error={error} onRetry={() => void configuracao.refetch()} onTrocarApp={() => onTrocarApp()} />;
  } else if (!token) {
    content =
      tela.nome === 'recuperar' ? (
        <RecuperarSenhaScreen
          api={api}
          config={configuracao.data}
          onVoltar={() => setTela({ nome: 'login' })}
          onConcluido={(mensagem) => {
            setAviso({ tipo: 'sucesso', titulo: mensagem, texto: 'Entre com a sua nova senha.' });
            setTela({ nome: 'login' });
          }}
        />
      ) : (
        <LoginScreen
          api={api}
          config={configuracao.data}
          appId={appId}
          aviso={aviso}
          onFecharAviso={() => setAviso(null)}
          onEntrou={entrou}
          onEsqueci={() => {
            setAviso(null);
            setTela({ nome: 'recuperar' });
          }}
          onTrocarApp={() => onTrocarApp()}
        />
      );
  } else if (sessao.isPending || sessao.isError) content = <Carregando texto="Abrindo sua conta…" />;
  else if (tela.nome === 'webview') content = <WebViewScreen titulo={tela.titulo} url={tela.url} onVoltar={() => setTela({ nome: 'home' })} />;
  else if (tela.nome === 'trocarSenha') {
    content = (
      <TrocarSenhaScreen
        api={api}
        token={token}
        config={configuracao.data}
        onSessaoAcabou={seSessaoAcabou}
        onVoltar={() => setTela({ nome: 'home' })}
        onConcluido={(mensagem) => {
          setAviso({ tipo: 'sucesso', titulo: 'Senha alterada', texto: mensagem });
          setTela({ nome: 'home' });
        }}
      />
    );
  } else {
    content = (
      <HomeScreen
        api={api}
        token={token}
        config={configuracao.data}
        sessao={sessao.data}
        aviso={aviso}
        onFecharAviso={() => setAviso(null)}
        onSessaoAcabou={seSessaoAcabou}
        onAbrir={(titulo, url) => {
          setAviso(null);
          setTela({ nome: 'webview', titulo, url });
        }}
        onTrocarSenha={() => {
          setAviso(null);
          setTela({ nome: 'trocarSenha' });
        }}
        onSair={sair}
      />
    );
  }

  const naoEncontrado = configuracao.isError && configuracao.error instanceof AppApiError && configuracao.error.code === 'APP_NOT_FOUND';
  useEffect(() => {
    if (naoEncontrado) onTrocarApp(appId);
  }, [naoEncontrado, appId, onTrocarApp]);

  return <DeviceFrame caption={caption}>{content}</DeviceFrame>;
}

function Carregando({ texto }: { texto: string }) {
  return (
    <Center className="demo-screen">
      <Stack align="center" gap="sm">
        <Loader />
        <Text c="dimmed" size="sm">
          {texto}
        </Text>
      </Stack>
    </Center>
  );
}

function FalhaAoCarregar({ error, onRetry, onTrocarApp }: { error: unknown; onRetry: () => void; onTrocarApp: () => void }) {
  return (
    <div className="demo-screen">
      <div className="demo-scroll">
        <Hero title="Não foi possível abrir o app" subtitle="A Ponte não respondeu como esperado.">
          <Brand />
        </Hero>
        <Stack className="demo-overlap" gap="md">
          <ErroAlert error={error} title="Falha ao carregar a configuração" />
          <Button onClick={onRetry}>Tentar de novo</Button>
          <Button variant="subtle" onClick={onTrocarApp}>
            Usar outro id de app
          </Button>
        </Stack>
      </div>
    </div>
  );
}

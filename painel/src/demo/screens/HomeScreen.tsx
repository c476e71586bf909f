import { Avatar, Badge, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconApps, IconId, IconKey, IconLock, IconLogout, IconMoodSmile, IconReceipt, IconStethoscope, IconUsers } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { sistemaDoNavegador, type AppApi } from '../api.ts';
import { AvisoAlert, Brand, ErroAlert, Hero, type Aviso } from '../components.tsx';
import type { Configuracao, FuncionalidadeDaSessao, SessaoDoApp } from '../types.ts';

type Props = {
  api: AppApi;
  token: string;
  config: Configuracao;
  sessao: SessaoDoApp;
  aviso: Aviso | null;
  onFecharAviso: () => void;
  onSessaoAcabou: (error: unknown) => boolean;
  onAbrir: (titulo: string, url: string) => void;
  onTrocarSenha: () => void;
  onSair: () => Promise<void>;
};

/** A friendly icon for a funcionalidade, by its name. */
function iconOf(nome: string): ReactNode {
  const n = nome.toLowerCase();
  if (n.includes('reembolso')) return <IconReceipt size={22} />;
  if (n.includes('telemedic') || n.includes('consulta')) return <IconStethoscope size={22} />;
  if (n.includes('carteir') || n.includes('cartão') || n.includes('cartao')) return <IconId size={22} />;
  if (n.includes('boas')) return <IconMoodSmile size={22} />;
  return <IconApps size={22} />;
}

const primeiroNome = (nome: string) => nome.trim().split(/\s+/)[0] ?? nome;
const iniciais = (nome: string) =>
  nome
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((p) => p[0]?.toUpperCase())
    .join('');

/**
 * Home: the greeting and the funcionalidades the session's permissoes allow — blocked ones shown
 * disabled with their reason, hidden ones never sent by the API.
 */
export function HomeScreen({ api, token, config, sessao, aviso, onFecharAviso, onSessaoAcabou, onAbrir, onTrocarSenha, onSair }: Props) {
  const { usuario, contratos, beneficiarios } = sessao.perfil;
  const nome = usuario.nome ?? usuario.login;
  const contrato = contratos[0];
  const [abrindo, setAbrindo] = useState<string | null>(null);
  const abrir = useMutation({
    mutationFn: (f: FuncionalidadeDaSessao) => api.abrir(token, f.chaveFuncionalidade, sistemaDoNavegador()),
    onMutate: (f) => setAbrindo(f.chaveFuncionalidade),
    onSettled: () => setAbrindo(null),
    onSuccess: (aberta, f) => onAbrir(f.nome, aberta.url),
    onError: (error) => onSessaoAcabou(error),
  });
  const sair = useMutation({ mutationFn: onSair });

  return (
    <div className="demo-screen">
      <div className="demo-scroll">
        <Hero
          compact
          title={`Olá, ${primeiroNome(nome)}!`}
          subtitle={contrato ? `${contrato.descricaoContrato ?? 'Seu plano'} · contrato ${contrato.numeroContrato}` : 'Bem-vindo ao app do seu plano.'}
        >
          <Brand cliente={config.cliente.nome} instancia={config.instancia.nome} />
        </Hero>
        <Stack className="demo-overlap" gap="md">
          {aviso ? <AvisoAlert aviso={aviso} onClose={onFecharAviso} /> : null}
          {abrir.isError ? <ErroAlert error={abrir.error} title="Não foi possível abrir" /> : null}

          <Paper withBorder radius="lg" p="md" shadow="sm">
            <Title order={2} fz="sm" c="dimmed" tt="uppercase" mb="sm" style={{ letterSpacing: 0.5 }}>
              Serviços
            </Title>
            {sessao.funcionalidades.length === 0 ? (
              <Stack align="center" gap={6} py="md">
                <ThemeIcon size={44} radius="xl" variant="light" color="gray">
                  <IconApps size={24} />
                </ThemeIcon>
                <Text fw={600} size="sm">
                  Nenhum serviço disponível ainda
                </Text>
                <Text size="xs" c="dimmed" ta="center">
                  A operadora cadastra os serviços (WebViews) no painel, em Funcionalidades.
                </Text>
              </Stack>
            ) : (
              <SimpleGrid cols={2} spacing="sm">
                {sessao.funcionalidades.map((f) => (
                  <Tile key={f.chaveFuncionalidade} funcionalidade={f} abrindo={abrindo === f.chaveFuncionalidade} ocupado={abrindo !== null} onAbrir={() => abrir.mutate(f)} />
                ))}
              </SimpleGrid>
            )}
          </Paper>

          {beneficiarios.length > 0 ? (
            <Paper withBorder radius="lg" p="md">
              <Group gap={8} mb="sm">
                <IconUsers size={16} color="var(--mantine-color-dimmed)" aria-hidden />
                <Title order={2} fz="sm" c="dimmed" tt="uppercase" style={{ letterSpacing: 0.5 }}>
                  Sua família no plano
                </Title>
              </Group>
              <Stack gap={8}>
                {beneficiarios.map((b) => (
                  <Group key={b.chaveUnica} gap="sm" wrap="nowrap">
                    <Avatar size={32} radius="xl" color="indigo" variant="light">
                      {iniciais(b.nome)}
                    </Avatar>
                    <Text size="sm" style={{ flex: 1, minWidth: 0 }} truncate>
                      {b.nome}
                    </Text>
                    {b.chaveUnica === usuario.chaveUnica ? (
                      <Badge size="sm" variant="light">
                        você
                      </Badge>
                    ) : null}
                  </Group>
                ))}
              </Stack>
            </Paper>
          ) : null}

          <Paper withBorder radius="lg" p="md">
            <Title order={2} fz="sm" c="dimmed" tt="uppercase" mb="sm" style={{ letterSpacing: 0.5 }}>
              Conta
            </Title>
            <Stack gap="xs">
              {config.recursos.trocarSenha ? (
                <Button variant="light" leftSection={<IconKey size={16} />} justify="flex-start" fullWidth onClick={onTrocarSenha}>
                  Trocar senha
                </Button>
              ) : null}
              <Button variant="default" leftSection={<IconLogout size={16} />} justify="flex-start" fullWidth loading={sair.isPending} onClick={() => sair.mutate()}>
                Sair
              </Button>
            </Stack>
          </Paper>
        </Stack>
      </div>
    </div>
  );
}

function Tile({ funcionalidade: f, abrindo, ocupado, onAbrir }: { funcionalidade: FuncionalidadeDaSessao; abrindo: boolean; ocupado: boolean; onAbrir: () => void }) {
  const bloqueada = f.bloqueada;
  return (
    <Paper
      component="button"
      type="button"
      className="demo-tile"
      withBorder
      radius="lg"
      p="sm"
      aria-disabled={bloqueada || undefined}
      aria-busy={abrindo || undefined}
      aria-label={bloqueada ? `${f.nome} — bloqueada: ${f.mensagemBloqueio ?? 'indisponível'}` : `Abrir ${f.nome}`}
      onClick={() => {
        if (!bloqueada && !ocupado) onAbrir();
      }}
    >
      <Stack gap={8} align="flex-start">
        <Group justify="space-between" w="100%" wrap="nowrap">
          <ThemeIcon size={40} radius="md" variant="light" color={bloqueada ? 'gray' : 'indigo'}>
            {iconOf(f.nome)}
          </ThemeIcon>
          {abrindo ? <Loader size="xs" /> : bloqueada ? <IconLock size={18} color="var(--mantine-color-gray-6)" aria-hidden /> : null}
        </Group>
        <Text fw={600} size="sm" c={bloqueada ? 'dimmed' : undefined} lh={1.25}>
          {f.nome}
        </Text>
        {bloqueada ? (
          <Text size="xs" c="dimmed" lh={1.3}>
            {f.mensagemBloqueio ?? 'Indisponível para você.'}
          </Text>
        ) : (
          <Text size="xs" c="indigo" fw={500} aria-hidden>
            {abrindo ? 'Abrindo…' : 'Abrir →'}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

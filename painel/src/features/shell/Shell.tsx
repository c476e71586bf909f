import { ActionIcon, AppShell, Avatar, Badge, Box, Burger, Button, Divider, Group, Menu, NavLink, ScrollArea, SegmentedControl, Select, Stack, Text, Tooltip, UnstyledButton, VisuallyHidden, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconApi,
  IconApps,
  IconBuilding,
  IconChartLine,
  IconChecklist,
  IconChevronDown,
  IconDeviceDesktop,
  IconFileSearch,
  IconForms,
  IconHistory,
  IconKey,
  IconLogout,
  IconMail,
  IconMessage,
  IconMoon,
  IconPlug,
  IconPlus,
  IconShieldLock,
  IconSun,
  IconUserCircle,
  IconUsers,
  IconWorld,
} from '@tabler/icons-react';
import { Suspense, type ReactNode } from 'react';
import { Link, NavLink as RouterNavLink, Outlet, useLocation } from 'react-router';
import { BrandMark } from '../../components/BrandMark.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { notifyError } from '../../lib/errors.ts';
import { initials } from '../../lib/format.ts';
import { useLogout } from '../auth/api.ts';
import { AppDemoLink } from './AppDemoLink.tsx';
import { CreateClienteModal } from '../clientes/CreateClienteModal.tsx';
import { papelLabels, useWorkspace } from './workspace.tsx';

/** `to`: the screen inside the cliente and instância (see Workspace.link). */
type Item = { to: string; label: string; icon: ReactNode; exact?: boolean; only?: 'admin' | 'plataforma' };

const sections: { title?: string; items: Item[] }[] = [
  {
    items: [
      { to: '', label: 'Painel inicial', icon: <IconChartLine size={18} />, exact: true },
      { to: 'integracao', label: 'Integração', icon: <IconPlug size={18} /> },
      { to: 'validador', label: 'Validador de integração', icon: <IconChecklist size={18} /> },
      { to: 'logs', label: 'Central de logs', icon: <IconFileSearch size={18} /> },
    ],
  },
  {
    title: 'App do beneficiário',
    items: [
      { to: 'funcionalidades', label: 'Funcionalidades', icon: <IconApps size={18} /> },
      { to: 'formularios', label: 'Formulários', icon: <IconForms size={18} /> },
      { to: 'envio-mensagens', label: 'Envio de mensagens', icon: <IconMessage size={18} /> },
      { to: 'caixa-de-saida', label: 'Caixa de saída (dev)', icon: <IconMail size={18} />, only: 'plataforma' },
    ],
  },
  {
    title: 'Segurança',
    items: [
      { to: 'seguranca/grupos', label: 'Grupos de autorização', icon: <IconShieldLock size={18} /> },
      { to: 'seguranca/origens', label: 'Origens', icon: <IconWorld size={18} /> },
      { to: 'seguranca/auditoria', label: 'Auditoria', icon: <IconHistory size={18} /> },
    ],
  },
  {
    title: 'Acesso',
    items: [
      { to: 'apis', label: 'APIs (tokens do cliente)', icon: <IconKey size={18} /> },
      { to: 'usuarios', label: 'Usuários', icon: <IconUsers size={18} />, only: 'admin' },
    ],
  },
];

const temas = [
  { value: 'auto', label: 'Como o sistema', icon: <IconDeviceDesktop size={16} /> },
  { value: 'light', label: 'Claro', icon: <IconSun size={16} /> },
  { value: 'dark', label: 'Escuro', icon: <IconMoon size={16} /> },
] as const;

/** Light, dark or as the operating system says (the default); remembered in this browser. */
function TemaMenu() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  return (
    <Menu position="bottom-end" width={200} shadow="md" withinPortal>
      <Menu.Target>
        <Tooltip label="Tema: claro, escuro ou como o sistema">
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`Tema de cores (${temas.find((t) => t.value === colorScheme)?.label ?? 'Como o sistema'})`}>
            {computed === 'dark' ? <IconMoon size={18} /> : <IconSun size={18} />}
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Tema</Menu.Label>
        {temas.map((tema) => (
          <Menu.Item
            key={tema.value}
            leftSection={tema.icon}
            rightSection={colorScheme === tema.value ? <Text size="xs" c="dimmed">atual</Text> : null}
            onClick={() => setColorScheme(tema.value)}
            aria-current={colorScheme === tema.value ? 'true' : undefined}
          >
            {tema.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function InstanciaSwitch() {
  const { instancia, setInstancia } = useWorkspace();
  return (
    <Group gap={8} wrap="nowrap">
      <Text size="sm" fw={500} c="dimmed" id="instancia-label" visibleFrom="md">
        Instância
      </Text>
      <SegmentedControl
        aria-labelledby="instancia-label"
        value={String(instancia)}
        onChange={(value) => setInstancia(value === '2' ? 2 : 1)}
        // Darker shades than the badges': white text at 4.5:1 or more.
        color={instancia === 2 ? '#a84300' : 'teal.9'}
        data={[
          { value: '1', label: 'Sandbox' },
          { value: '2', label: 'Produção' },
        ]}
        size="sm"
      />
    </Group>
  );
}

/** The cliente's numeric code, which operators find as `idCliente` in the temp tokens. */
function CodigoDoCliente({ codigo }: { codigo: number | null }) {
  if (codigo === null) return null;
  return (
    <Tooltip label="Código do cliente: é o idCliente dos tokens temporários (/clientes/auth/temp-authorization)" withArrow multiline w={260}>
      <Badge variant="outline" color="gray" c="var(--mantine-color-dimmed)" size="sm" data-testid="codigo-cliente" visibleFrom="lg">
        Código {codigo}
      </Badge>
    </Tooltip>
  );
}

function ClientePicker({ onCreate }: { onCreate: () => void }) {
  const { sessao, clienteId, clienteCodigo, setClienteId } = useWorkspace();
  const admin = sessao.usuario.administradorPlataforma;
  if (sessao.clientes.length <= 1 && !admin) {
    return (
      <Group gap={6} wrap="nowrap">
        <IconBuilding size={18} color="var(--mantine-color-dimmed)" aria-hidden />
        <Text fw={600} size="sm">
          {sessao.clientes[0]?.nome ?? 'Nenhum cliente'}
        </Text>
        <CodigoDoCliente codigo={clienteCodigo} />
      </Group>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      <Select
        aria-label="Cliente"
        placeholder="Escolha o cliente"
        leftSection={<IconBuilding size={16} />}
        data={sessao.clientes.map((c) => ({ value: c.id, label: c.nome }))}
        value={clienteId}
        onChange={(value) => value && setClienteId(value)}
        searchable={sessao.clientes.length > 6}
        allowDeselect={false}
        nothingFoundMessage="Nenhum cliente encontrado"
        w={{ base: 170, md: 240 }}
        size="sm"
      />
      <CodigoDoCliente codigo={clienteCodigo} />
      {admin ? (
        <Tooltip label="Novo cliente" withArrow>
          <Button variant="subtle" size="sm" px={8} onClick={onCreate} aria-label="Novo cliente">
            <IconPlus size={18} />
          </Button>
        </Tooltip>
      ) : null}
    </Group>
  );
}

/** The frame of every screen: sections on the left; cliente, instância and the user on top. */
export function Shell({ fallback }: { fallback: ReactNode }) {
  const workspace = useWorkspace();
  const { sessao, clienteId, papel } = workspace;
  const logout = useLogout();
  const location = useLocation();
  const [mobileOpened, { toggle: toggleMobile, close: closeMobile }] = useDisclosure(false);
  const [desktopOpened, { toggle: toggleDesktop }] = useDisclosure(true);
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const admin = sessao.usuario.administradorPlataforma;

  return (
    <AppShell
      header={{ height: 64 }}
      // Below 768 px the sections open over the screen (the menu button); above, they can be hidden to widen it.
      navbar={{ width: { base: 264, sm: 232, lg: 264 }, breakpoint: 'sm', collapsed: { mobile: !mobileOpened, desktop: !desktopOpened } }}
      padding={{ base: 'md', lg: 'xl' }}
    >
      <a href="#conteudo" className="skip-link" onClick={(event) => { event.preventDefault(); document.getElementById('conteudo')?.focus(); }}>
        Pular para o conteúdo
      </a>
      <AppShell.Header>
        <Group h="100%" px={{ base: 'sm', md: 'lg' }} justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger
              opened={mobileOpened}
              onClick={toggleMobile}
              hiddenFrom="sm"
              size="sm"
              aria-label={mobileOpened ? 'Fechar o menu de seções' : 'Abrir o menu de seções'}
              aria-expanded={mobileOpened}
            />
            <Burger
              opened={desktopOpened}
              onClick={toggleDesktop}
              visibleFrom="sm"
              size="sm"
              aria-label={desktopOpened ? 'Recolher o menu de seções' : 'Mostrar o menu de seções'}
              aria-expanded={desktopOpened}
            />
            <Group gap={10} wrap="nowrap" visibleFrom="lg">
              <BrandMark size={34} />
              <Stack gap={0}>
                <Text fw={700} lh={1.1}>
                  Ponte
                </Text>
                <Text size="xs" c="dimmed" lh={1.1}>
                  Painel
                </Text>
              </Stack>
            </Group>
            <Divider orientation="vertical" visibleFrom="lg" />
            <ClientePicker onCreate={openCreate} />
            {clienteId ? <InstanciaSwitch /> : null}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <TemaMenu />
            <Menu position="bottom-end" width={240} shadow="md" withinPortal>
              <Menu.Target>
                <UnstyledButton px={8} py={4} style={{ borderRadius: 'var(--mantine-radius-md)' }} className="conta-menu">
                  <Group gap={10} wrap="nowrap">
                    <VisuallyHidden>Conta de </VisuallyHidden>
                    <Avatar color="indigo" radius="xl" size={34} aria-hidden>
                      {initials(sessao.usuario.nome)}
                    </Avatar>
                    <Stack gap={0} visibleFrom="md">
                      <Text size="sm" fw={600} lh={1.2}>
                        {sessao.usuario.nome}
                      </Text>
                      <Text size="xs" c="dimmed" lh={1.2}>
                        {sessao.usuario.email}
                      </Text>
                    </Stack>
                    <IconChevronDown size={16} color="var(--mantine-color-dimmed)" aria-hidden />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item component={Link} to="/conta" leftSection={<IconUserCircle size={16} />}>
                  Minha conta
                </Menu.Item>
                <Menu.Divider />
                <Menu.Item
                  color="red"
                  leftSection={<IconLogout size={16} />}
                  disabled={logout.isPending}
                  onClick={() => logout.mutate(undefined, { onError: (error) => notifyError(error) })}
                >
                  Sair
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm">
        <AppShell.Section grow component={ScrollArea}>
          <nav aria-label="Seções do painel">
            {sections.map((section, index) => (
              <Box key={index} mb="md">
                {section.title ? (
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4} style={{ letterSpacing: 0.6 }}>
                    {section.title}
                  </Text>
                ) : null}
                {section.items
                  .filter((item) => (item.only === 'admin' ? workspace.podeAdministrar : item.only === 'plataforma' ? workspace.sessao.usuario.administradorPlataforma : true))
                  .map((item) => (
                  <NavLink
                    key={item.to}
                    component={RouterNavLink}
                    to={workspace.link(item.to)}
                    label={item.label}
                    leftSection={item.icon}
                    end={item.exact}
                    active={item.exact ? workspace.tela === item.to : workspace.tela === item.to || workspace.tela.startsWith(`${item.to}/`)}
                    onClick={closeMobile}
                    color="indigo.9"
                    style={{ borderRadius: 'var(--mantine-radius-md)' }}
                    disabled={!clienteId}
                  />
                ))}
              </Box>
            ))}
          </nav>
        </AppShell.Section>
        <AppShell.Section>
          <Divider mb="sm" />
          <Stack gap={6} px="sm" pb="xs">
            {papel ? (
              <Group gap={6} wrap="nowrap">
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  Seu papel:
                </Text>
                <Badge size="sm" variant="light" color={papel === 'leitor' ? 'gray.8' : 'indigo.9'}>
                  {admin ? 'Admin. da plataforma' : papelLabels[papel]}
                </Badge>
              </Group>
            ) : null}
            <Stack gap={2} align="flex-start">
              {clienteId ? <AppDemoLink /> : null}
              <Tooltip label="Documentação da API (OpenAPI), numa nova aba" withArrow>
                <Button component="a" href="/docs" target="_blank" variant="subtle" color="gray" c="var(--mantine-color-dimmed)" size="compact-sm" leftSection={<IconApi size={16} />}>
                  Documentação da API
                </Button>
              </Tooltip>
            </Stack>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main className="painel-main" id="conteudo" tabIndex={-1}>
        <VisuallyHidden>
          <Text>
            Cliente {workspace.clienteNome ?? 'nenhum'}
            {workspace.clienteCodigo !== null ? ` (código ${workspace.clienteCodigo})` : ''}, instância {workspace.instanciaNome}
          </Text>
        </VisuallyHidden>
        <Box maw={1360} mx="auto">
          {clienteId || location.pathname === '/conta' || workspace.clienteDaUrlInvalido ? (
            <Suspense fallback={fallback}>
              <Outlet />
            </Suspense>
          ) : (
            <EmptyState
              icon={<IconBuilding size={28} />}
              title="Nenhum cliente ainda"
              description={
                admin
                  ? 'Crie o primeiro cliente (operadora) para configurar a integração, os grupos de autorização e os tokens.'
                  : 'Seu usuário ainda não participa de nenhum cliente. Peça a um administrador para incluí-lo.'
              }
              action={
                admin ? (
                  <Button leftSection={<IconPlus size={16} />} onClick={openCreate}>
                    Criar cliente
                  </Button>
                ) : undefined
              }
            />
          )}
        </Box>
      </AppShell.Main>
      <CreateClienteModal opened={creating} onClose={closeCreate} onCreated={(id) => workspace.setClienteId(id)} />
    </AppShell>
  );
}

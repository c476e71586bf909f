import { AppShell, Avatar, Badge, Box, Button, Divider, Group, Menu, NavLink, ScrollArea, SegmentedControl, Select, Stack, Text, Tooltip, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconApi,
  IconApps,
  IconBuilding,
  IconChartLine,
  IconChevronDown,
  IconChecklist,
  IconFileSearch,
  IconForms,
  IconHistory,
  IconKey,
  IconLogout,
  IconMail,
  IconPlug,
  IconPlus,
  IconShieldLock,
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

type Item = { to: string; label: string; icon: ReactNode; exact?: boolean; only?: 'admin' | 'plataforma' };

const sections: { title?: string; items: Item[] }[] = [
  {
    items: [
      { to: '/', label: 'Painel inicial', icon: <IconChartLine size={18} />, exact: true },
      { to: '/integracao', label: 'Integração', icon: <IconPlug size={18} /> },
      { to: '/validador', label: 'Validador de integração', icon: <IconChecklist size={18} /> },
      { to: '/logs', label: 'Central de logs', icon: <IconFileSearch size={18} /> },
    ],
  },
  {
    title: 'App do beneficiário',
    items: [
      { to: '/funcionalidades', label: 'Funcionalidades', icon: <IconApps size={18} /> },
      { to: '/formularios', label: 'Formulários', icon: <IconForms size={18} /> },
      { to: '/caixa-de-saida', label: 'Caixa de saída (dev)', icon: <IconMail size={18} />, only: 'plataforma' },
    ],
  },
  {
    title: 'Segurança',
    items: [
      { to: '/seguranca/grupos', label: 'Grupos de autorização', icon: <IconShieldLock size={18} /> },
      { to: '/seguranca/origens', label: 'Origens', icon: <IconWorld size={18} /> },
      { to: '/seguranca/auditoria', label: 'Auditoria', icon: <IconHistory size={18} /> },
    ],
  },
  {
    title: 'Acesso',
    items: [
      { to: '/apis', label: 'APIs (tokens do cliente)', icon: <IconKey size={18} /> },
      { to: '/usuarios', label: 'Usuários', icon: <IconUsers size={18} />, only: 'admin' },
    ],
  },
];

function InstanciaSwitch() {
  const { instancia, setInstancia } = useWorkspace();
  return (
    <Group gap={8} wrap="nowrap">
      <Text size="sm" fw={500} c="dimmed" id="instancia-label">
        Instância
      </Text>
      <SegmentedControl
        aria-labelledby="instancia-label"
        value={String(instancia)}
        onChange={(value) => setInstancia(value === '2' ? 2 : 1)}
        color={instancia === 2 ? 'orange' : 'teal'}
        data={[
          { value: '1', label: 'Sandbox' },
          { value: '2', label: 'Produção' },
        ]}
        size="sm"
      />
    </Group>
  );
}

function ClientePicker({ onCreate }: { onCreate: () => void }) {
  const { sessao, clienteId, setClienteId } = useWorkspace();
  const admin = sessao.usuario.administradorPlataforma;
  if (sessao.clientes.length <= 1 && !admin) {
    return (
      <Group gap={6} wrap="nowrap">
        <IconBuilding size={18} color="var(--mantine-color-gray-6)" aria-hidden />
        <Text fw={600} size="sm">
          {sessao.clientes[0]?.nome ?? 'Nenhum cliente'}
        </Text>
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
        w={240}
        size="sm"
      />
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
  const [creating, { open: openCreate, close: closeCreate }] = useDisclosure(false);
  const admin = sessao.usuario.administradorPlataforma;

  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 264, breakpoint: 0 }} padding="xl">
      <AppShell.Header>
        <Group h="100%" px="lg" justify="space-between" wrap="nowrap">
          <Group gap="xl" wrap="nowrap">
            <Group gap={10} wrap="nowrap">
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
            <Divider orientation="vertical" />
            <ClientePicker onCreate={openCreate} />
            <InstanciaSwitch />
          </Group>
          <Group gap="md" wrap="nowrap">
            <Menu position="bottom-end" width={240} shadow="md" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={`Conta de ${sessao.usuario.nome}`} px={8} py={4} style={{ borderRadius: 'var(--mantine-radius-md)' }} className="conta-menu">
                  <Group gap={10} wrap="nowrap">
                    <Avatar color="indigo" radius="xl" size={34}>
                      {initials(sessao.usuario.nome)}
                    </Avatar>
                    <Stack gap={0}>
                      <Text size="sm" fw={600} lh={1.2}>
                        {sessao.usuario.nome}
                      </Text>
                      <Text size="xs" c="dimmed" lh={1.2}>
                        {sessao.usuario.email}
                      </Text>
                    </Stack>
                    <IconChevronDown size={16} color="var(--mantine-color-gray-6)" aria-hidden />
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
                    to={item.to}
                    label={item.label}
                    leftSection={item.icon}
                    end={item.exact}
                    active={item.exact ? location.pathname === item.to : location.pathname.startsWith(item.to)}
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
                <Badge size="sm" variant="light" color={papel === 'leitor' ? 'gray' : 'indigo'}>
                  {admin ? 'Admin. da plataforma' : papelLabels[papel]}
                </Badge>
              </Group>
            ) : null}
            <Stack gap={2} align="flex-start">
              {clienteId ? <AppDemoLink /> : null}
              <Tooltip label="Documentação da API (OpenAPI), numa nova aba" withArrow>
                <Button component="a" href="/docs" target="_blank" variant="subtle" color="gray" size="compact-sm" leftSection={<IconApi size={16} />}>
                  Documentação da API
                </Button>
              </Tooltip>
            </Stack>
          </Stack>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">
        <VisuallyHidden>
          <Text>
            Cliente {workspace.clienteNome ?? 'nenhum'}, instância {workspace.instanciaNome}
          </Text>
        </VisuallyHidden>
        <Box maw={1360} mx="auto">
          {clienteId || location.pathname === '/conta' ? (
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

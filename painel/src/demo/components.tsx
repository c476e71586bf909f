import { ActionIcon, Alert, Badge, Button, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconChevronLeft, IconCircleCheck, IconHeartHandshake, IconInfoCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { AppApiError, mensagemDe, type DetalheDeErro } from './api.ts';

/** The phone: a centred device on a desktop (with a caption under it), the whole screen on a phone. */
export function DeviceFrame({ children, caption }: { children: ReactNode; caption?: ReactNode }) {
  return (
    <div className="demo-stage">
      <main className="demo-device" aria-label="App do beneficiário — demo">
        {children}
      </main>
      {caption ? <div className="demo-caption">{caption}</div> : null}
    </div>
  );
}

/** The app's mark: operator-neutral, the same on every screen. */
export function AppMark({ size = 44 }: { size?: number }) {
  return (
    <ThemeIcon size={size} radius="xl" variant="white" color="indigo" aria-hidden>
      <IconHeartHandshake size={Math.round(size * 0.6)} stroke={1.7} />
    </ThemeIcon>
  );
}

/** The coloured band at the top of the login-type screens. */
export function Hero({ title, subtitle, children, compact = false }: { title: ReactNode; subtitle?: ReactNode; children?: ReactNode; compact?: boolean }) {
  return (
    <header className={compact ? 'demo-hero demo-hero-compact' : 'demo-hero'}>
      <Stack gap={6}>
        {children}
        <Title order={1} fz={compact ? 22 : 26} lh={1.2} c="white">
          {title}
        </Title>
        {subtitle ? (
          <Text size="sm" c="white" opacity={0.88}>
            {subtitle}
          </Text>
        ) : null}
      </Stack>
    </header>
  );
}

/** "App do beneficiário" with the demo badge, the cliente and the instância. */
export function Brand({ cliente, instancia }: { cliente?: string; instancia?: string }) {
  return (
    <Group gap="sm" wrap="nowrap" mb={10}>
      <AppMark />
      <Stack gap={2}>
        <Group gap={6}>
          <Text fw={700} c="white" lh={1.1}>
            App do beneficiário
          </Text>
          <Badge size="xs" variant="white" color="indigo">
            demo
          </Badge>
        </Group>
        {cliente ? (
          <Text size="xs" c="white" opacity={0.85} lh={1.2}>
            {cliente}
            {instancia ? ` · ${instancia}` : ''}
          </Text>
        ) : null}
      </Stack>
    </Group>
  );
}

/** A screen's top bar: back on the left, the title in the middle, an optional action on the right. */
export function TopBar({ title, onBack, backLabel = 'Voltar', end }: { title: string; onBack: () => void; backLabel?: string; end?: ReactNode }) {
  return (
    <div className="demo-topbar">
      <div className="demo-topbar-side">
        <Button variant="subtle" size="compact-md" px={4} leftSection={<IconChevronLeft size={18} />} styles={{ section: { marginInlineEnd: 2 } }} onClick={onBack}>
          {backLabel}
        </Button>
      </div>
      <Text component="h1" className="demo-topbar-title" size="md" m={0}>
        {title}
      </Text>
      <div className="demo-topbar-side demo-topbar-side-end">{end}</div>
    </div>
  );
}

export function IconButton({ label, onClick, children, href }: { label: string; onClick?: () => void; children: ReactNode; href?: string }) {
  return href ? (
    <ActionIcon component="a" href={href} target="_blank" rel="noopener noreferrer" variant="subtle" size="lg" aria-label={label} title={label}>
      {children}
    </ActionIcon>
  ) : (
    <ActionIcon variant="subtle" size="lg" aria-label={label} title={label} onClick={onClick}>
      {children}
    </ActionIcon>
  );
}

/** A failed request: the API's Portuguese message, and the details no field could show. */
export function ErroAlert({ error, title = 'Não foi possível concluir', details }: { error: unknown; title?: string; details?: DetalheDeErro[] }) {
  const requestId = error instanceof AppApiError ? error.requestId : undefined;
  return (
    <OpaqueAlert>
      <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={title} role="alert">
        <Text size="sm">{mensagemDe(error)}</Text>
        {details && details.length > 0 ? (
          <List size="sm" mt={4} spacing={2}>
            {details.map((d, i) => (
              <List.Item key={i}>{d.message}</List.Item>
            ))}
          </List>
        ) : null}
        {requestId ? (
          <Text size="xs" c="dimmed" mt={4}>
            id {requestId}
          </Text>
        ) : null}
      </Alert>
    </OpaqueAlert>
  );
}

/** Light alerts are translucent: over the coloured header they need a white ground to be read. */
function OpaqueAlert({ children }: { children: ReactNode }) {
  return <div className="demo-alert">{children}</div>;
}

export type Aviso = { tipo: 'sucesso' | 'info' | 'erro'; titulo?: string; texto: string };

/** A message carried from one screen to the next (a changed password, an ended session). */
export function AvisoAlert({ aviso, onClose }: { aviso: Aviso; onClose?: () => void }) {
  const color = aviso.tipo === 'sucesso' ? 'teal' : aviso.tipo === 'erro' ? 'red' : 'blue';
  const icon = aviso.tipo === 'sucesso' ? <IconCircleCheck size={18} /> : aviso.tipo === 'erro' ? <IconAlertTriangle size={18} /> : <IconInfoCircle size={18} />;
  return (
    <OpaqueAlert>
      <Alert color={color} variant="light" icon={icon} title={aviso.titulo} withCloseButton={Boolean(onClose)} onClose={onClose} closeButtonLabel="Fechar aviso" role="status">
        <Text size="sm">{aviso.texto}</Text>
      </Alert>
    </OpaqueAlert>
  );
}

/** `14:32` in the user's clock. */
export function hora(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString('pt-BR', { hour: '2-digit', minute: '2-digit' });
}

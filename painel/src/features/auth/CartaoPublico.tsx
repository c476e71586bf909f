import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { BrandMark } from '../../components/BrandMark.tsx';

/** The frame of the screens outside the painel (login, invitation, password links): one centred card. */
export function CartaoPublico({ title, subtitle, children, width = 440 }: { title: string; subtitle?: ReactNode; children: ReactNode; width?: number }) {
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" radius="lg" p={36} w={width} maw="100%">
        <Stack gap="lg">
          <Stack gap={6} align="center">
            <BrandMark size={44} />
            <Title order={2} ta="center">
              {title}
            </Title>
            {subtitle ? (
              <Text c="dimmed" size="sm" ta="center">
                {subtitle}
              </Text>
            ) : null}
          </Stack>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}

/** The token of a link e-mailed by the painel: it travels after `#`, never sent to any server by the browser. */
export function tokenDoLink(hash: string): string {
  return decodeURIComponent(hash.replace(/^#/, '')).trim();
}

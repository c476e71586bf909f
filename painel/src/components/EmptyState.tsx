import { Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** What a list shows when it has nothing yet: what it is for and what to do next. */
export function EmptyState({ icon, title, description, action }: { icon: ReactNode; title: string; description: ReactNode; action?: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="xl" className="painel-superficie">
      <Stack align="center" gap="sm" py="lg">
        <ThemeIcon size={52} radius="xl" variant="light" color="indigo">
          {icon}
        </ThemeIcon>
        <Title order={4} ta="center">
          {title}
        </Title>
        <Text c="dimmed" size="sm" ta="center" maw={480}>
          {description}
        </Text>
        {action}
      </Stack>
    </Paper>
  );
}

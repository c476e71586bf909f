import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';

/**
 * A success that changed something live (the app's form, a switch in Produção), with "Desfazer"
 * in the notification for ten seconds.
 */
export function notifyWithUndo(message: string, title: string, onUndo: () => void): void {
  const id = `desfazer-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  notifications.show({
    id,
    color: 'teal',
    title,
    autoClose: 10_000,
    message: (
      <Group gap="sm" justify="space-between" wrap="nowrap">
        <Text size="sm">{message}</Text>
        <Button
          size="compact-xs"
          variant="light"
          onClick={() => {
            notifications.hide(id);
            onUndo();
          }}
        >
          Desfazer
        </Button>
      </Group>
    ),
  });
}

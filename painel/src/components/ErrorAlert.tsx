import { Alert, List, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ErrorDetail } from '../api/client.ts';
import { errorMessage } from '../lib/errors.ts';

/** A failed load or save, with the details no field of the form could show. */
export function ErrorAlert({ error, details, title = 'Algo deu errado' }: { error: unknown; details?: ErrorDetail[]; title?: string }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={title} role="alert">
      <Text size="sm">{errorMessage(error)}</Text>
      {details && details.length > 0 ? (
        <List size="sm" mt="xs" spacing={2}>
          {details.map((detail, index) => (
            <List.Item key={index}>
              {detail.field ? <Text span ff="monospace" size="sm">{detail.field}: </Text> : null}
              {detail.message}
            </List.Item>
          ))}
        </List>
      ) : null}
    </Alert>
  );
}

import { Alert, Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiDoCliente, TokenCriado } from '../../api/types.ts';
import { CopyField } from '../../components/CopyField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../lib/errors.ts';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { apiLabels, useCreateToken } from './api.ts';

/**
 * Creates a token do cliente. The token comes back once: the dialog then shows it with a copy
 * button and cannot be dismissed by a stray click or Esc, only by saying it was copied.
 */
export function CreateTokenModal({ clienteId, opened, onClose }: { clienteId: string; opened: boolean; onClose: () => void }) {
  const create = useCreateToken(clienteId);
  const [created, setCreated] = useState<TokenCriado | null>(null);
  const form = useForm<{ descricao: string; apis: ApiDoCliente[] }>({
    initialValues: { descricao: '', apis: ['chavePasse'] },
    validate: { apis: (value) => (value.length > 0 ? null : 'Escolha ao menos uma API.') },
  });
  const { rest, showAlert } = useApiFormErrors(form, create.error);

  const close = () => {
    setCreated(null);
    form.reset();
    create.reset();
    onClose();
  };

  const submit = form.onSubmit((values) =>
    create.mutate(
      { descricao: values.descricao.trim(), apis: values.apis },
      {
        onSuccess: (token) => {
          setCreated(token);
          notifySuccess('Token criado. Copie-o agora: ele não será exibido novamente.');
        },
      },
    ),
  );

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{created ? 'Token criado — copie agora' : 'Novo token do cliente'}</Text>}
      centered
      size="lg"
      closeOnClickOutside={!created}
      closeOnEscape={!created}
      withCloseButton={!created}
    >
      {created ? (
        <Stack>
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="Este token é exibido uma única vez">
            A Ponte guarda apenas um resumo (hash) do token. Copie-o agora e guarde-o num cofre de segredos; se ele se perder, revogue-o e crie outro.
          </Alert>
          <div data-testid="token-criado">
            <Text size="sm" fw={500} mb={6}>
              Token
            </Text>
            <CopyField value={created.token} label="Copiar token" block />
          </div>
          <Text size="sm" c="dimmed">
            Use-o cru no header <code>Authorization</code> das chamadas à API do cliente (<code>/clientes/…</code>). APIs liberadas:{' '}
            {created.apis.map((a) => apiLabels[a].nome).join(', ')}.
          </Text>
          <Group justify="flex-end">
            <Button onClick={close} data-autofocus>
              Já copiei o token
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {showAlert ? <ErrorAlert error={create.error} details={rest} title="Não foi possível criar o token" /> : null}
            <TextInput label="Descrição" description="Para reconhecer o token depois (ex.: servidor de produção da operadora)." placeholder="Backend das funcionalidades" data-autofocus {...form.getInputProps('descricao')} />
            <Checkbox.Group label="APIs que o token pode chamar" withAsterisk {...form.getInputProps('apis')}>
              <Stack gap="sm" mt="xs">
                {(Object.keys(apiLabels) as ApiDoCliente[]).map((key) => (
                  <Checkbox key={key} value={key} label={apiLabels[key].nome} description={apiLabels[key].descricao} />
                ))}
              </Stack>
            </Checkbox.Group>
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={close}>
                Cancelar
              </Button>
              <Button type="submit" loading={create.isPending}>
                Criar token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

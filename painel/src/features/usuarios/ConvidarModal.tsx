import { Alert, Button, Group, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailForward, IconSend } from '@tabler/icons-react';
import type { Papel } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../lib/errors.ts';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { papelLabels } from '../shell/workspace.tsx';
import { papelDescricoes, useConvidar } from './api.ts';

type Values = { email: string; papel: Papel };

/**
 * Invites a person into the cliente by e-mail. No name and no password here: the person chooses
 * their own when accepting (or logs in with the account they already have), and appears as a
 * member only then.
 */
export function ConvidarModal({ clienteId, clienteNome, opened, onClose }: { clienteId: string; clienteNome: string | null; opened: boolean; onClose: () => void }) {
  const convidar = useConvidar(clienteId);
  const form = useForm<Values>({
    initialValues: { email: '', papel: 'editor' },
    validate: {
      email: (v) => (!v.trim() ? 'Informe o e-mail.' : !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? 'Informe um e-mail válido.' : null),
    },
  });
  const { rest, showAlert } = useApiFormErrors(form, convidar.error);

  const close = () => {
    form.reset();
    convidar.reset();
    onClose();
  };

  const submit = form.onSubmit((values) =>
    convidar.mutate(
      { email: values.email.trim(), papel: values.papel },
      {
        onSuccess: (convite) => {
          notifySuccess(`Convite enviado para ${convite.email}. A pessoa entra como ${papelLabels[convite.papel].toLowerCase()} depois de aceitar.`, 'Convite enviado');
          close();
        },
      },
    ),
  );

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Convidar pessoa</Text>} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          {showAlert ? <ErrorAlert error={convidar.error} details={rest} title="O convite não foi enviado" /> : null}
          <Alert color="indigo" variant="light" icon={<IconMailForward size={18} />}>
            <Text size="sm">
              A pessoa recebe por e-mail um link válido por 72 horas. Quem ainda não usa o painel escolhe o próprio nome e a própria senha; quem já usa entra com a conta dela e
              aceita. Ela passa a ver {clienteNome ?? 'este cliente'} só depois de aceitar.
            </Text>
          </Alert>
          <TextInput label="E-mail" withAsterisk type="email" placeholder="pessoa@operadora.com.br" autoComplete="off" data-autofocus {...form.getInputProps('email')} />
          <Radio.Group label="Papel neste cliente" withAsterisk {...form.getInputProps('papel')}>
            <Stack gap="xs" mt="xs">
              {(['admin', 'editor', 'leitor'] as const).map((papel) => (
                <Radio key={papel} value={papel} label={papelLabels[papel]} description={papelDescricoes[papel]} />
              ))}
            </Stack>
          </Radio.Group>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              Cancelar
            </Button>
            <Button type="submit" leftSection={<IconSend size={16} />} loading={convidar.isPending}>
              Enviar convite
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

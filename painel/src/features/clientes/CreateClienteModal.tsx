import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../lib/errors.ts';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { useCreateCliente } from './api.ts';

export function CreateClienteModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const create = useCreateCliente();
  const form = useForm({ initialValues: { nome: '' }, validate: { nome: (v) => (v.trim() ? null : 'Informe o nome da operadora.') } });
  const { rest, showAlert } = useApiFormErrors(form, create.error);

  const submit = form.onSubmit((values) =>
    create.mutate(
      { nome: values.nome.trim() },
      {
        onSuccess: (cliente) => {
          notifySuccess(`Cliente "${cliente.nome}" criado com as instâncias Sandbox e Produção.`);
          form.reset();
          onCreated(cliente.id);
          onClose();
        },
      },
    ),
  );

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Novo cliente (operadora)</Text>} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          {showAlert ? <ErrorAlert error={create.error} details={rest} /> : null}
          <TextInput label="Nome da operadora" placeholder="Operadora Exemplo Saúde" required data-autofocus {...form.getInputProps('nome')} />
          <Text size="xs" c="dimmed">
            O cliente nasce com duas instâncias: Sandbox (testes, aceita http) e Produção (somente https).
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancelar
            </Button>
            <Button type="submit" loading={create.isPending}>
              Criar cliente
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Alert, Button, Group, Modal, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import type { MembroCriado, Papel } from '../../api/types.ts';
import { CopyField } from '../../components/CopyField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../lib/errors.ts';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { papelLabels } from '../shell/workspace.tsx';
import { papelDescricoes, useAddMembro } from './api.ts';

type Values = { email: string; nome: string; papel: Papel; senha: string };

/**
 * Adds a person to the cliente. A new e-mail creates the user; without a senha the server makes
 * one and returns it once — the dialog then shows it with a copy button and closes only when the
 * admin says it was copied. An e-mail that already has a user just joins the cliente.
 */
export function NovoUsuarioModal({ clienteId, clienteNome, opened, onClose }: { clienteId: string; clienteNome: string | null; opened: boolean; onClose: () => void }) {
  const add = useAddMembro(clienteId);
  const [criado, setCriado] = useState<MembroCriado | null>(null);
  const form = useForm<Values>({
    initialValues: { email: '', nome: '', papel: 'editor', senha: '' },
    validate: {
      email: (v) => (!v.trim() ? 'Informe o e-mail.' : !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? 'Informe um e-mail válido.' : null),
      senha: (v) => (v && v.length < 10 ? 'A senha deve ter ao menos 10 caracteres (ou deixe em branco para gerar uma).' : null),
    },
  });
  const { rest, showAlert } = useApiFormErrors(form, add.error);

  const close = () => {
    setCriado(null);
    form.reset();
    add.reset();
    onClose();
  };

  const submit = form.onSubmit((values) =>
    add.mutate(
      {
        email: values.email.trim(),
        ...(values.nome.trim() ? { nome: values.nome.trim() } : {}),
        ...(values.senha ? { senha: values.senha } : {}),
        papel: values.papel,
      },
      {
        onSuccess: (membro) => {
          const papel = papelLabels[membro.papel].toLowerCase();
          if (membro.senhaGerada) {
            setCriado(membro);
            notifySuccess(`${membro.nome} foi criado como ${papel}. Copie a senha inicial agora: ela não será exibida novamente.`);
            return;
          }
          notifySuccess(
            membro.usuarioExistente
              ? `${membro.nome} já tinha acesso ao painel e agora participa ${clienteNome ? `de ${clienteNome}` : 'deste cliente'} como ${papel}, com a senha que já usa.`
              : `${membro.nome} foi criado como ${papel}, com a senha que você definiu.`,
          );
          close();
        },
      },
    ),
  );

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{criado ? 'Usuário criado — copie a senha inicial' : 'Novo usuário'}</Text>}
      centered
      size="lg"
      closeOnClickOutside={!criado}
      closeOnEscape={!criado}
      withCloseButton={!criado}
    >
      {criado ? (
        <Stack>
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="Esta senha é exibida uma única vez">
            A Ponte guarda só um resumo (hash) da senha. Envie-a a {criado.nome} por um canal seguro; se ela se perder, remova e inclua a pessoa de novo, ou peça a um
            administrador da plataforma.
          </Alert>
          <Stack gap={4}>
            <Text size="sm">
              <Text span fw={600}>
                E-mail:
              </Text>{' '}
              {criado.email}
            </Text>
            <Text size="sm" fw={500} mt="xs">
              Senha inicial
            </Text>
            <div data-testid="senha-gerada">
              <CopyField value={criado.senhaGerada ?? ''} label="Copiar senha" block />
            </div>
          </Stack>
          <Group justify="flex-end">
            <Button onClick={close} data-autofocus>
              Já copiei a senha
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {showAlert ? <ErrorAlert error={add.error} details={rest} title="Não foi possível incluir a pessoa" /> : null}
            <TextInput label="E-mail" withAsterisk type="email" placeholder="pessoa@operadora.com.br" autoComplete="off" data-autofocus {...form.getInputProps('email')} />
            <TextInput
              label="Nome"
              description="Obrigatório para quem ainda não tem usuário no painel. Se o e-mail já tiver, a pessoa é incluída com o nome e a senha que já tem."
              placeholder="Maria Souza"
              autoComplete="off"
              {...form.getInputProps('nome')}
            />
            <Radio.Group label="Papel neste cliente" withAsterisk {...form.getInputProps('papel')}>
              <Stack gap="xs" mt="xs">
                {(['admin', 'editor', 'leitor'] as const).map((papel) => (
                  <Radio key={papel} value={papel} label={papelLabels[papel]} description={papelDescricoes[papel]} />
                ))}
              </Stack>
            </Radio.Group>
            <PasswordInput
              label="Senha inicial (opcional)"
              description="Deixe em branco para a Ponte gerar uma senha forte, exibida uma única vez. Não vale para quem já tem usuário."
              autoComplete="new-password"
              {...form.getInputProps('senha')}
            />
            <Group justify="flex-end" mt="sm">
              <Button variant="default" onClick={close}>
                Cancelar
              </Button>
              <Button type="submit" loading={add.isPending}>
                Incluir usuário
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

import { Alert, Anchor, Button, Group, PasswordInput, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconCircleCheck, IconLock } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useLogin } from './api.ts';
import { CartaoPublico } from './CartaoPublico.tsx';

const titles: Record<number, string> = {
  401: 'E-mail ou senha incorretos',
  429: 'Muitas tentativas',
};

/** What another screen may pass to the login: a message to show (e.g. after a password reset). */
export type LoginState = { from?: string; aviso?: string };

export function LoginPage() {
  const login = useLogin();
  const location = useLocation();
  const aviso = (location.state as LoginState | null)?.aviso;
  const form = useForm({
    initialValues: { email: '', senha: '' },
    validate: {
      email: (value) => (value.trim() ? null : 'Informe o e-mail.'),
      senha: (value) => (value ? null : 'Informe a senha.'),
    },
  });
  const failure = login.error;
  const status = failure instanceof ApiError ? failure.status : 0;

  return (
    <CartaoPublico title="Painel da Ponte" subtitle="Entre com o e-mail e a senha da sua conta no painel." width={420}>
      <form onSubmit={form.onSubmit((values) => login.mutate({ email: values.email.trim(), senha: values.senha }))} noValidate style={{ display: 'contents' }}>
        {aviso && !failure ? (
          <Alert color="teal" icon={<IconCircleCheck size={18} />} role="status">
            {aviso}
          </Alert>
        ) : null}
        {failure ? (
          <Alert color="red" icon={<IconAlertCircle size={18} />} title={titles[status] ?? 'Não foi possível entrar'} role="alert">
            {errorMessage(failure)}
          </Alert>
        ) : null}
        <TextInput label="E-mail" type="email" autoComplete="username" placeholder="voce@operadora.com.br" required data-autofocus autoFocus {...form.getInputProps('email')} />
        <PasswordInput label="Senha" autoComplete="current-password" required {...form.getInputProps('senha')} />
        <Group justify="flex-end" mt={-8}>
          <Anchor component={Link} to="/esqueci-senha" state={{ email: form.values.email.trim() }} size="sm">
            Esqueci minha senha
          </Anchor>
        </Group>
        <Button type="submit" size="md" leftSection={<IconLock size={18} />} loading={login.isPending} fullWidth>
          Entrar
        </Button>
        <Text size="xs" c="dimmed" ta="center">
          Ainda não tem conta? Peça a um administrador da sua operadora para convidar você. Documentação da API em <Anchor href="/docs">/docs</Anchor>.
        </Text>
      </form>
    </CartaoPublico>
  );
}

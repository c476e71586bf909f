import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconLock } from '@tabler/icons-react';
import { ApiError } from '../../api/client.ts';
import { BrandMark } from '../../components/BrandMark.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { useLogin } from './api.ts';

const titles: Record<number, string> = {
  401: 'E-mail ou senha incorretos',
  423: 'Conta bloqueada temporariamente',
  429: 'Muitas tentativas',
};

export function LoginPage() {
  const login = useLogin();
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
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" radius="lg" p={36} w={420}>
        <form onSubmit={form.onSubmit((values) => login.mutate({ email: values.email.trim(), senha: values.senha }))} noValidate>
          <Stack gap="lg">
            <Stack gap={6} align="center">
              <BrandMark size={44} />
              <Title order={2} ta="center">
                Painel da Ponte
              </Title>
              <Text c="dimmed" size="sm" ta="center">
                Entre com o e-mail e a senha cadastrados para a sua operadora.
              </Text>
            </Stack>
            {failure ? (
              <Alert color="red" icon={<IconAlertCircle size={18} />} title={titles[status] ?? 'Não foi possível entrar'} role="alert">
                {errorMessage(failure)}
              </Alert>
            ) : null}
            <TextInput label="E-mail" type="email" autoComplete="username" placeholder="voce@operadora.com.br" required data-autofocus autoFocus {...form.getInputProps('email')} />
            <PasswordInput label="Senha" autoComplete="current-password" required {...form.getInputProps('senha')} />
            <Button type="submit" size="md" leftSection={<IconLock size={18} />} loading={login.isPending} fullWidth>
              Entrar
            </Button>
            <Text size="xs" c="dimmed" ta="center">
              Esqueceu a senha? Peça a um administrador da sua operadora. Documentação da API em <Anchor href="/docs">/docs</Anchor>.
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

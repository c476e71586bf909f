import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowLeft, IconMailCheck, IconSend } from '@tabler/icons-react';
import { Link, useLocation } from 'react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { useEsqueciSenha } from './api.ts';
import { CartaoPublico } from './CartaoPublico.tsx';

/** "Esqueci minha senha" of the painel: asks for the e-mail and says the same whatever it is. */
export function EsqueciSenhaPage() {
  const location = useLocation();
  const esqueci = useEsqueciSenha();
  const form = useForm({
    initialValues: { email: (location.state as { email?: string } | null)?.email ?? '' },
    validate: { email: (v) => (!v.trim() ? 'Informe o e-mail.' : !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? 'Informe um e-mail válido.' : null) },
  });
  const { rest, showAlert } = useApiFormErrors(form, esqueci.error);
  const voltar = (
    <Anchor component={Link} to="/login" size="sm" ta="center">
      <IconArrowLeft size={14} style={{ verticalAlign: -2 }} /> Voltar para a entrada
    </Anchor>
  );

  if (esqueci.isSuccess) {
    return (
      <CartaoPublico title="Verifique o seu e-mail">
        <Alert color="teal" variant="light" icon={<IconMailCheck size={20} />} role="status">
          <Text size="sm">{esqueci.data.mensagem}</Text>
        </Alert>
        <Text size="sm" c="dimmed">
          Não chegou? Confira a caixa de spam e se o e-mail <b>{form.values.email.trim()}</b> é o que você usa no painel. Se continuar sem acesso, fale com um administrador
          da sua operadora.
        </Text>
        <Stack gap="xs" align="center">
          <Button variant="default" fullWidth onClick={() => esqueci.reset()}>
            Enviar para outro e-mail
          </Button>
          {voltar}
        </Stack>
      </CartaoPublico>
    );
  }

  return (
    <CartaoPublico title="Esqueci minha senha" subtitle="Informe o e-mail da sua conta no painel. Enviaremos um link para você criar uma nova senha.">
      <form onSubmit={form.onSubmit((values) => esqueci.mutate({ email: values.email.trim() }))} noValidate style={{ display: 'contents' }}>
        {showAlert ? <ErrorAlert error={esqueci.error} details={rest} title="Não foi possível enviar o link" /> : null}
        <TextInput label="E-mail" type="email" autoComplete="username" placeholder="voce@operadora.com.br" required data-autofocus autoFocus {...form.getInputProps('email')} />
        <Button type="submit" size="md" leftSection={<IconSend size={18} />} loading={esqueci.isPending} fullWidth>
          Enviar link
        </Button>
        {voltar}
      </form>
    </CartaoPublico>
  );
}

import { Alert, Anchor, Button, PasswordInput, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { useRedefinirSenha } from './api.ts';
import { CartaoPublico, tokenDoLink } from './CartaoPublico.tsx';
import type { LoginState } from './LoginPage.tsx';

/** The page of the "esqueci minha senha" link: a new password, then back to the login. */
export function RedefinirSenhaPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const token = tokenDoLink(location.hash);
  const redefinir = useRedefinirSenha();
  const form = useForm({
    initialValues: { senhaNova: '', confirmacao: '' },
    validate: {
      senhaNova: (v) => (v.length < 10 ? 'A senha deve ter ao menos 10 caracteres.' : null),
      confirmacao: (v, values) => (v !== values.senhaNova ? 'As senhas não são iguais. Digite a mesma senha nos dois campos.' : null),
    },
  });
  const { rest, showAlert } = useApiFormErrors(form, redefinir.error);
  const linkInvalido = !token || (redefinir.error instanceof ApiError && redefinir.error.status === 404);

  if (linkInvalido) {
    return (
      <CartaoPublico title="Link inválido">
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
          <Text size="sm">
            {redefinir.error instanceof ApiError
              ? redefinir.error.message
              : 'Este link está incompleto. Abra de novo o link que chegou por e-mail, inteiro, ou peça outro.'}
          </Text>
        </Alert>
        <Button component={Link} to="/esqueci-senha" fullWidth>
          Pedir outro link
        </Button>
        <Anchor component={Link} to="/login" size="sm" ta="center">
          Voltar para a entrada
        </Anchor>
      </CartaoPublico>
    );
  }

  return (
    <CartaoPublico title="Criar nova senha" subtitle="Escolha a nova senha da sua conta no painel. Ao salvar, todas as sessões abertas desta conta são encerradas.">
      <form
        onSubmit={form.onSubmit((values) =>
          redefinir.mutate(
            { token, senhaNova: values.senhaNova },
            { onSuccess: () => navigate('/login', { replace: true, state: { aviso: 'Senha alterada. Entre com a nova senha.' } satisfies LoginState }) },
          ),
        )}
        noValidate
        style={{ display: 'contents' }}
      >
        {showAlert ? <ErrorAlert error={redefinir.error} details={rest} title="A senha não foi alterada" /> : null}
        <PasswordInput label="Nova senha" description="Ao menos 10 caracteres." autoComplete="new-password" required data-autofocus autoFocus {...form.getInputProps('senhaNova')} />
        <PasswordInput label="Confirme a nova senha" autoComplete="new-password" required {...form.getInputProps('confirmacao')} />
        <Button type="submit" size="md" leftSection={<IconLock size={18} />} loading={redefinir.isPending} fullWidth>
          Salvar nova senha
        </Button>
      </form>
    </CartaoPublico>
  );
}

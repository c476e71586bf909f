import { Alert, Anchor, Button, Center, Group, Loader, Paper, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconInfoCircle, IconLogin, IconLogout, IconUserPlus } from '@tabler/icons-react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import type { ConviteConsulta, Sessao } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { errorMessage, notifySuccess } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { papelLabels } from '../shell/workspace.tsx';
import { papelDescricoes } from '../usuarios/api.ts';
import { useAceitarConvite, useConsultaConvite, useLogin, useLogout, useSession } from './api.ts';
import { CartaoPublico, tokenDoLink } from './CartaoPublico.tsx';

/**
 * The page of an invitation link (`/painel/convite#<token>`). Without an account the person
 * chooses name and password here; with one, they log in as that e-mail and accept. Either way the
 * painel then opens on the cliente just joined.
 */
export function ConvitePage() {
  const location = useLocation();
  const token = tokenDoLink(location.hash);
  const consulta = useConsultaConvite(token);
  const session = useSession();

  if (!token) return <ConviteInvalido mensagem="Este link está incompleto. Abra de novo o link que chegou por e-mail, inteiro." />;
  if (consulta.isError) {
    return <ConviteInvalido mensagem={consulta.error instanceof ApiError && consulta.error.status === 404 ? consulta.error.message : errorMessage(consulta.error)} />;
  }
  if (consulta.isPending || session.isPending) {
    return (
      <CartaoPublico title="Convite">
        <Center py="lg">
          <Loader aria-label="Carregando o convite" />
        </Center>
      </CartaoPublico>
    );
  }
  const convite = consulta.data;
  return (
    <CartaoPublico title={`Convite para ${convite.cliente.nome}`} subtitle="Você foi convidado para o painel da Ponte." width={460}>
      <ResumoDoConvite convite={convite} />
      {convite.contaExistente ? <AceitarComConta token={token} convite={convite} sessao={session.data ?? null} /> : <CriarConta token={token} convite={convite} sessao={session.data ?? null} />}
    </CartaoPublico>
  );
}

function ConviteInvalido({ mensagem }: { mensagem: string }) {
  return (
    <CartaoPublico title="Convite indisponível">
      <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
        <Text size="sm">{mensagem}</Text>
      </Alert>
      <Button component={Link} to="/login" variant="default" fullWidth>
        Ir para a entrada do painel
      </Button>
    </CartaoPublico>
  );
}

function ResumoDoConvite({ convite }: { convite: ConviteConsulta }) {
  return (
    <Paper withBorder radius="md" p="md" bg="gray.0">
      <Stack gap={6}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" c="dimmed" w={64}>
            E-mail
          </Text>
          <Text size="sm" fw={600} style={{ wordBreak: 'break-all' }}>
            {convite.email}
          </Text>
        </Group>
        <Group gap={6} wrap="nowrap" align="flex-start">
          <Text size="sm" c="dimmed" w={64}>
            Papel
          </Text>
          <Stack gap={0}>
            <Text size="sm" fw={600}>
              {papelLabels[convite.papel]}
            </Text>
            <Text size="xs" c="dimmed">
              {papelDescricoes[convite.papel]}
            </Text>
          </Stack>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          O link vale até {formatDateTime(convite.expiraEm)} e pode ser usado uma vez.
        </Text>
      </Stack>
    </Paper>
  );
}

/** Where the painel goes after accepting: the cliente just joined (remembered by `useAceitarConvite`). */
function useAoAceitar(convite: ConviteConsulta) {
  const navigate = useNavigate();
  return () => {
    notifySuccess(`Você agora participa de ${convite.cliente.nome} como ${papelLabels[convite.papel].toLowerCase()}.`, 'Convite aceito');
    navigate('/', { replace: true });
  };
}

function CriarConta({ token, convite, sessao }: { token: string; convite: ConviteConsulta; sessao: Sessao | null }) {
  const aceitar = useAceitarConvite();
  const aoAceitar = useAoAceitar(convite);
  const form = useForm({
    initialValues: { nome: '', senha: '', confirmacao: '' },
    validate: {
      nome: (v) => (v.trim() ? null : 'Informe o seu nome.'),
      senha: (v) => (v.length < 10 ? 'A senha deve ter ao menos 10 caracteres.' : null),
      confirmacao: (v, values) => (v !== values.senha ? 'As senhas não são iguais. Digite a mesma senha nos dois campos.' : null),
    },
  });
  const { rest, showAlert } = useApiFormErrors(form, aceitar.error);

  return (
    <form onSubmit={form.onSubmit((values) => aceitar.mutate({ token, nome: values.nome.trim(), senha: values.senha }, { onSuccess: aoAceitar }))} noValidate>
      <Stack>
        <Text size="sm">Para aceitar, crie a sua conta: o seu nome e uma senha que só você conhece.</Text>
        {sessao ? (
          <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
            <Text size="sm">
              Este navegador está conectado como {sessao.usuario.email}. Ao criar a conta, ele passa a usar {convite.email}.
            </Text>
          </Alert>
        ) : null}
        {showAlert ? <ErrorAlert error={aceitar.error} details={rest} title="Não foi possível aceitar o convite" /> : null}
        {/* For password managers: the account this password belongs to (shown in the summary above). */}
        <input type="email" name="email" value={convite.email} autoComplete="username" readOnly hidden />
        <TextInput label="Seu nome" placeholder="Maria Souza" required autoComplete="name" data-autofocus autoFocus {...form.getInputProps('nome')} />
        <PasswordInput label="Senha" description="Ao menos 10 caracteres." required autoComplete="new-password" {...form.getInputProps('senha')} />
        <PasswordInput label="Confirme a senha" required autoComplete="new-password" {...form.getInputProps('confirmacao')} />
        <Button type="submit" size="md" leftSection={<IconUserPlus size={18} />} loading={aceitar.isPending} fullWidth>
          Criar conta e entrar
        </Button>
      </Stack>
    </form>
  );
}

function AceitarComConta({ token, convite, sessao }: { token: string; convite: ConviteConsulta; sessao: Sessao | null }) {
  const aceitar = useAceitarConvite();
  const login = useLogin();
  const logout = useLogout();
  const aoAceitar = useAoAceitar(convite);
  const form = useForm({ initialValues: { senha: '' }, validate: { senha: (v) => (v ? null : 'Informe a senha.') } });

  if (sessao && sessao.usuario.email === convite.email) {
    return (
      <Stack>
        <Text size="sm">
          Você entrou como <b>{sessao.usuario.nome}</b> ({sessao.usuario.email}). Aceite para ver {convite.cliente.nome} no painel, ao lado dos seus outros clientes.
        </Text>
        {aceitar.error ? <ErrorAlert error={aceitar.error} title="Não foi possível aceitar o convite" /> : null}
        <Button size="md" leftSection={<IconCheck size={18} />} loading={aceitar.isPending} onClick={() => aceitar.mutate({ token }, { onSuccess: aoAceitar })} fullWidth>
          Aceitar convite
        </Button>
      </Stack>
    );
  }

  if (sessao) {
    return (
      <Stack>
        <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} />}>
          <Text size="sm">
            Este navegador está conectado como {sessao.usuario.email}, mas o convite é para {convite.email}. Saia e entre com a conta de {convite.email} para aceitar.
          </Text>
        </Alert>
        <Button size="md" variant="default" leftSection={<IconLogout size={18} />} loading={logout.isPending} onClick={() => logout.mutate()} fullWidth>
          Sair e entrar como {convite.email}
        </Button>
      </Stack>
    );
  }

  const failure = login.error ?? aceitar.error;
  return (
    <form onSubmit={form.onSubmit((values) => login.mutate({ email: convite.email, senha: values.senha }, { onSuccess: () => aceitar.mutate({ token }, { onSuccess: aoAceitar }) }))} noValidate>
      <Stack>
        <Text size="sm">Este e-mail já tem conta no painel. Entre com a sua senha para aceitar o convite.</Text>
        {failure ? <ErrorAlert error={failure} title={login.error ? 'Não foi possível entrar' : 'Não foi possível aceitar o convite'} /> : null}
        <TextInput label="E-mail" value={convite.email} readOnly autoComplete="username" />
        <PasswordInput label="Senha" required autoComplete="current-password" data-autofocus autoFocus {...form.getInputProps('senha')} />
        <Group justify="flex-end" mt={-8}>
          <Anchor component={Link} to="/esqueci-senha" state={{ email: convite.email }} size="sm">
            Esqueci minha senha
          </Anchor>
        </Group>
        <Button type="submit" size="md" leftSection={<IconLogin size={18} />} loading={login.isPending || aceitar.isPending} fullWidth>
          Entrar e aceitar
        </Button>
      </Stack>
    </form>
  );
}

import { Alert, Avatar, Badge, Button, Divider, Grid, Group, Paper, PasswordInput, Stack, Table, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle, IconLock } from '@tabler/icons-react';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../lib/errors.ts';
import { initials } from '../../lib/format.ts';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { useTrocarSenha } from '../auth/api.ts';
import { papelLabels, useWorkspace } from '../shell/workspace.tsx';

/** The logged user's own account: who they are, where they have access, and their password. */
export function MinhaContaPage() {
  const { sessao } = useWorkspace();
  const { usuario } = sessao;
  return (
    <>
      <PageHeader title="Minha conta" description="Seus dados no painel da Ponte, os clientes em que você tem acesso e a sua senha." />
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder radius="md" p="lg">
            <Stack gap="md">
              <Group gap="md" wrap="nowrap">
                <Avatar color="indigo" radius="xl" size={48}>
                  {initials(usuario.nome)}
                </Avatar>
                <Stack gap={0}>
                  <Text fw={600}>{usuario.nome}</Text>
                  <Text size="sm" c="dimmed">
                    {usuario.email}
                  </Text>
                </Stack>
              </Group>
              {usuario.administradorPlataforma ? (
                <Badge variant="light" color="grape" w="fit-content">
                  Administrador da plataforma
                </Badge>
              ) : null}
              <Divider />
              <Title order={5}>Clientes</Title>
              {sessao.clientes.length === 0 ? (
                <Text size="sm" c="dimmed">
                  Você ainda não participa de nenhum cliente. Quando alguém convidar você, o convite chega por e-mail.
                </Text>
              ) : (
                <Table verticalSpacing={6} aria-label="Seus clientes">
                  <Table.Tbody>
                    {sessao.clientes.map((c) => (
                      <Table.Tr key={c.id}>
                        <Table.Td pl={0}>
                          <Text size="sm">{c.nome}</Text>
                        </Table.Td>
                        <Table.Td pr={0} ta="right">
                          <Badge variant="light" color={c.papel === 'leitor' ? 'gray' : 'indigo'}>
                            {papelLabels[c.papel]}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <TrocarSenha />
        </Grid.Col>
      </Grid>
    </>
  );
}

function TrocarSenha() {
  const trocar = useTrocarSenha();
  const form = useForm({
    initialValues: { senhaAtual: '', senhaNova: '', confirmacao: '' },
    validate: {
      senhaAtual: (v) => (v ? null : 'Informe a senha atual.'),
      senhaNova: (v) => (v.length < 10 ? 'A nova senha deve ter ao menos 10 caracteres.' : null),
      confirmacao: (v, values) => (v !== values.senhaNova ? 'As senhas não são iguais. Digite a mesma senha nos dois campos.' : null),
    },
  });
  const { rest, showAlert } = useApiFormErrors(form, trocar.error);

  const submit = form.onSubmit((values) =>
    trocar.mutate(
      { senhaAtual: values.senhaAtual, senhaNova: values.senhaNova },
      {
        onSuccess: ({ sessoesEncerradas }) => {
          const outras =
            sessoesEncerradas === 0 ? 'Não havia outras sessões abertas.' : sessoesEncerradas === 1 ? 'A outra sessão aberta foi encerrada.' : `As ${sessoesEncerradas} outras sessões abertas foram encerradas.`;
          notifySuccess(`Use a nova senha na próxima entrada. ${outras}`, 'Senha alterada');
          form.reset();
          trocar.reset();
        },
      },
    ),
  );

  return (
    <Paper withBorder radius="md" p="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={4}>Trocar senha</Title>
          <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
            <Text size="sm">Ao trocar a senha, todas as outras sessões do painel desta conta (em outros navegadores ou computadores) são encerradas. Esta continua aberta.</Text>
          </Alert>
          {showAlert ? <ErrorAlert error={trocar.error} details={rest} title="A senha não foi alterada" /> : null}
          <PasswordInput label="Senha atual" autoComplete="current-password" required {...form.getInputProps('senhaAtual')} />
          <PasswordInput label="Nova senha" description="Ao menos 10 caracteres." autoComplete="new-password" required {...form.getInputProps('senhaNova')} />
          <PasswordInput label="Confirme a nova senha" autoComplete="new-password" required {...form.getInputProps('confirmacao')} />
          <Group justify="space-between" align="center">
            <Text size="xs" c="dimmed" maw={300}>
              Esqueceu a senha atual? Saia e use “Esqueci minha senha” na tela de entrada.
            </Text>
            <Button type="submit" leftSection={<IconLock size={16} />} loading={trocar.isPending}>
              Trocar senha
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

import { Alert, Button, Code, Group, Modal, NumberInput, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconLockExclamation, IconPlugConnected } from '@tabler/icons-react';
import { useEffect } from 'react';
import { ApiError } from '../../api/client.ts';
import type { Grupo, Instancia } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../lib/errors.ts';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { origemDe } from '../integracao/origem.ts';
import { useSaveGrupo } from './api.ts';

const SUFIXO = '/autorizacao';

type Values = { nome: string; url: string; usuario: string; senha: string; ttlSegundos: number | string };

/**
 * The stored senha is bound to the origin of the grupo's URL: when an edit points the URL at
 * another origin, the senha must be typed again (the server refuses otherwise, at `senha`).
 * Returns the saved and the new origin when that is the case.
 */
function origemMudada(grupo: Grupo | null, url: string): { de: string; para: string } | null {
  const [de, para] = [origemDe(grupo?.url), origemDe(url)];
  return grupo && de && para && de !== para ? { de, para } : null;
}

/**
 * Creates or edits a grupo de autorização. Saving calls the operator's /autorizacao live: when the
 * answer breaks the contract the server says 422 with one detail per violation (path + message),
 * shown here field by field, and nothing is saved.
 */
export function GrupoFormModal({ clienteId, instancia, grupo, opened, onClose }: { clienteId: string; instancia: Instancia; grupo: Grupo | null; opened: boolean; onClose: () => void }) {
  const save = useSaveGrupo(clienteId, instancia);
  const form = useForm<Values>({
    initialValues: { nome: '', url: '', usuario: '', senha: '', ttlSegundos: 3600 },
    validate: {
      nome: (v) => (v.trim() ? null : 'Informe o nome do grupo.'),
      url: (v) => (!v.trim() ? 'Informe a URL do endpoint /autorizacao.' : !/^https?:\/\//i.test(v.trim()) ? 'Use uma URL completa, começando por https://.' : null),
      usuario: (v) => (v.trim() ? null : 'Informe o usuário.'),
      senha: (v, values) => {
        if (v) return null;
        if (!grupo) return 'Informe a senha.';
        const mudou = origemMudada(grupo, values.url);
        return mudou ? `A URL mudou de origem (de ${mudou.de} para ${mudou.para}): digite a senha de novo para enviá-la ao novo endereço.` : null;
      },
      ttlSegundos: (v) => (v === '' || (Number(v) >= 60 && Number(v) <= 86_400) ? null : 'Use de 60 a 86400 segundos.'),
    },
  });

  useEffect(() => {
    if (!opened) return;
    save.reset();
    form.setValues(grupo ? { nome: grupo.nome, url: grupo.url, usuario: grupo.usuario, senha: '', ttlSegundos: grupo.ttlSegundos } : { nome: '', url: '', usuario: '', senha: '', ttlSegundos: 3600 });
    form.resetDirty();
    form.clearErrors();
    // Only when the dialog opens (or switches grupo): typing must not reset it.
  }, [opened, grupo]);

  const { rest, showAlert } = useApiFormErrors(form, save.error);
  const liveCheckFailed = save.error instanceof ApiError && save.error.status === 422;
  const urlValue = form.values.url.trim();
  const suffixHint = urlValue && !urlValue.replace(/[?#].*$/, '').replace(/\/+$/, '').endsWith(SUFIXO);
  const mudou = origemMudada(grupo, form.values.url);
  // Once the field shows the error (which says the same), the hint steps aside.
  const senhaDescricao = mudou && !form.errors.senha ? (
    <Text span size="xs" c="orange.8" data-testid="senha-nova-origem">
      <IconLockExclamation size={12} style={{ verticalAlign: -1 }} /> A URL agora aponta para <b>{mudou.para}</b>: a senha guardada só vale para {mudou.de}. Digite-a de
      novo.
    </Text>
  ) : mudou ? undefined : grupo ? (
    'Guardada cifrada, só para a origem desta URL; nunca é exibida.'
  ) : (
    'Guardada cifrada; nunca é exibida de novo.'
  );

  const submit = form.onSubmit((values) => {
    const body = {
      nome: values.nome.trim(),
      url: values.url.trim(),
      usuario: values.usuario.trim(),
      ...(values.senha ? { senha: values.senha } : {}),
      ...(values.ttlSegundos !== '' ? { ttlSegundos: Number(values.ttlSegundos) } : {}),
    };
    save.mutate(
      { ...(grupo ? { id: grupo.id } : {}), body },
      {
        onSuccess: (saved) => {
          notifySuccess(`O endpoint respondeu conforme o contrato e o grupo "${saved.nome}" foi salvo.`, 'Grupo verificado');
          onClose();
        },
      },
    );
  });

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{grupo ? `Editar grupo "${grupo.nome}"` : 'Novo grupo de autorização'}</Text>} size="xl" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Ao salvar, a Ponte chama o endpoint com <Code>{'{ usuario, senha }'}</Code> e só guarda o grupo se a resposta seguir o contrato:{' '}
            <Code>{'{ auth: [{ chave, token }] }'}</Code>, com <Code>chave</Code> diferente de <Code>Authorization</Code>.
          </Text>

          {liveCheckFailed ? (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="A verificação ao vivo falhou — nada foi salvo" role="alert" data-testid="violacoes-grupo">
              <Text size="sm" mb="xs">
                {rest.length > 0
                  ? 'A Ponte chamou o endpoint e a resposta não segue o contrato. Corrija o endpoint da operadora (ou os dados abaixo) e tente de novo.'
                  : 'A Ponte não conseguiu verificar o endpoint: veja o problema indicado no campo abaixo.'}
              </Text>
              {rest.length > 0 ? (
              <Table withTableBorder withColumnBorders bg="white" fz="sm" aria-label="Violações do contrato">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w="35%">Campo da resposta</Table.Th>
                    <Table.Th>O que está errado</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rest.map((detail, index) => (
                    <Table.Tr key={index}>
                      <Table.Td valign="top">
                        <Code>{detail.field ?? '(resposta inteira)'}</Code>
                      </Table.Td>
                      {/* The message repeats the path first; the table already shows it. */}
                      <Table.Td>{detail.field && detail.message.startsWith(`${detail.field}: `) ? detail.message.slice(detail.field.length + 2) : detail.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              ) : null}
            </Alert>
          ) : showAlert ? (
            <ErrorAlert error={save.error} details={rest} title="Não foi possível salvar" />
          ) : null}

          <TextInput label="Nome" placeholder="Autorização principal" required data-autofocus {...form.getInputProps('nome')} />
          <TextInput
            label="URL do endpoint"
            description={
              instancia === 2 ? 'Produção exige https e endereço público. Deve terminar com /autorizacao.' : 'Deve terminar com /autorizacao. Sandbox aceita http.'
            }
            placeholder="https://api.operadora.com.br/mobile/autorizacao"
            required
            {...form.getInputProps('url')}
          />
          {suffixHint && !form.errors.url ? (
            <Text size="xs" c="orange.8" mt={-8}>
              A URL ainda não termina com <Code>{SUFIXO}</Code>: o servidor vai recusá-la.
            </Text>
          ) : null}
          <Group grow align="flex-start">
            <TextInput label="Usuário" autoComplete="off" required {...form.getInputProps('usuario')} />
            <PasswordInput
              label="Senha"
              autoComplete="new-password"
              required={!grupo || mudou !== null}
              placeholder={grupo && !mudou ? 'Deixe em branco para manter a atual' : undefined}
              description={senhaDescricao}
              {...form.getInputProps('senha')}
            />
          </Group>
          <NumberInput
            label="Validade dos tokens (segundos)"
            description="Usada quando o token não é um JWT com exp. A Ponte renova antes de vencer."
            min={60}
            max={86_400}
            step={60}
            w={320}
            thousandSeparator="."
            decimalSeparator=","
            {...form.getInputProps('ttlSegundos')}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancelar
            </Button>
            <Button type="submit" loading={save.isPending} leftSection={<IconPlugConnected size={16} />}>
              Verificar e salvar
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

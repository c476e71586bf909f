import { Alert, Button, Code, Group, Modal, NumberInput, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconLockExclamation, IconPlugConnected } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import type { Grupo, Instancia } from '../../api/types.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useUnsavedChangesGuard } from '../../lib/unsaved-changes.tsx';
import { notifySuccess } from '../../lib/errors.ts';
import { useApiFormErrors } from '../../lib/use-api-form-errors.ts';
import { origemDe } from '../integracao/origem.ts';
import { useSaveGrupo } from './api.ts';
import { corDeTexto } from '../../theme.ts';

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
      url: (v) =>
        !v.trim()
          ? 'Informe a URL do endpoint /autorizacao.'
          : !/^https?:\/\//i.test(v.trim())
            ? 'Use uma URL completa, começando por https://.'
            : /[?#]/.test(v)
              ? 'A URL não pode ter query string ("?…") nem fragmento ("#…"): a Ponte não envia tokens na URL.'
              : null,
      usuario: (v) => (v.trim() ? null : 'Informe o usuário.'),
      senha: (v, values) => {
        if (v.trim()) return null;
        // Only spaces is no senha (refused like a blank usuário); empty on an edit keeps the stored one.
        if (v || !grupo) return 'Informe a senha.';
        const mudou = origemMudada(grupo, values.url);
        return mudou ? `A URL mudou de origem (de ${mudou.de} para ${mudou.para}): digite a senha de novo para enviá-la ao novo endereço.` : null;
      },
      ttlSegundos: (v) => (v === '' || (Number(v) >= 60 && Number(v) <= 86_400) ? null : `${Number(v).toLocaleString('pt-BR')} s está fora do intervalo: use de 60 a 86.400 segundos (24 h).`),
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
  // The operator refused the credentials (401/403, at `usuario`): the senha is as suspect as the usuário.
  const usuarioRecusado = save.error instanceof ApiError && save.error.details.some((d) => d.field === 'usuario' && /HTTP 40[13]/.test(d.message));
  useEffect(() => {
    if (usuarioRecusado && !form.errors.senha) form.setFieldError('senha', 'Confira a senha: a operadora recusou o usuário e a senha.');
  }, [usuarioRecusado]);

  // Closing (Cancelar, Esc, outside) or leaving the screen with edits asks first.
  const editado = opened && form.isDirty();
  const guard = useUnsavedChangesGuard(editado, 'As alterações deste grupo ainda não foram salvas e serão perdidas.');
  const [confirmarFechar, setConfirmarFechar] = useState(false);
  const fechar = () => (editado ? setConfirmarFechar(true) : onClose());
  const liveCheckFailed = save.error instanceof ApiError && save.error.status === 422;
  const urlValue = form.values.url.trim();
  const suffixHint = urlValue && !urlValue.replace(/[?#].*$/, '').replace(/\/+$/, '').endsWith(SUFIXO);
  const mudou = origemMudada(grupo, form.values.url);
  // Once the field shows the error (which says the same), the hint steps aside.
  const senhaDescricao = mudou && !form.errors.senha ? (
    <Text span size="xs" c={corDeTexto('orange')} data-testid="senha-nova-origem">
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
    <Modal opened={opened} onClose={fechar} title={<Text fw={600}>{grupo ? `Editar grupo "${grupo.nome}"` : 'Novo grupo de autorização'}</Text>} size="xl" centered>
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
                  : usuarioRecusado
                    ? 'A operadora recusou o usuário e a senha: confira os dois campos abaixo (a URL respondeu).'
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

          <TextInput label="Nome" placeholder="Autorização principal" required data-autofocus maxLength={120} {...form.getInputProps('nome')} />
          <TextInput
            label="URL do endpoint"
            description={
              instancia === 2 ? 'Produção exige https e endereço público. Deve terminar com /autorizacao.' : 'Deve terminar com /autorizacao. Sandbox aceita http.'
            }
            placeholder="https://api.operadora.com.br/mobile/autorizacao"
            required
            maxLength={2048}
            {...form.getInputProps('url')}
          />
          {suffixHint && !form.errors.url ? (
            <Text size="xs" c={corDeTexto('orange')} mt={-8}>
              A URL ainda não termina com <Code>{SUFIXO}</Code>: o servidor vai recusá-la.
            </Text>
          ) : null}
          <Group grow align="flex-start">
            <TextInput label="Usuário" autoComplete="off" required maxLength={200} {...form.getInputProps('usuario')} />
            <PasswordInput
              label="Senha"
              autoComplete="new-password"
              maxLength={500}
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
            clampBehavior="none"
            allowDecimal={false}
            allowNegative={false}
            maxLength={7}
            {...form.getInputProps('ttlSegundos')}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={fechar}>
              Cancelar
            </Button>
            <Button type="submit" loading={save.isPending} leftSection={<IconPlugConnected size={16} />}>
              Verificar e salvar
            </Button>
          </Group>
        </Stack>
      </form>
      {guard.dialog}
      <ConfirmDialog
        opened={confirmarFechar}
        title="Fechar sem salvar?"
        confirmLabel="Fechar sem salvar"
        onClose={() => setConfirmarFechar(false)}
        onConfirm={() => {
          setConfirmarFechar(false);
          onClose();
        }}
      >
        <Text size="sm">As alterações deste grupo ainda não foram salvas e serão perdidas.</Text>
      </ConfirmDialog>
    </Modal>
  );
}

import { Alert, Anchor, Badge, Group, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import type { Funcionalidade, Instancia } from '../../api/types.ts';
import { Link } from 'react-router';
import { CopyField } from '../../components/CopyField.tsx';
import { useIntegracao } from '../integracao/api.ts';
import { useOrigens } from '../origens/api.ts';
import { useCliente } from '../shell/workspace.tsx';

/** The code an operator pastes in its own site to embed the funcionalidade (platform reference §3.6). */
export function codigoEmbutir(ponte: string, chaveFuncionalidade: string, instancia: Instancia): string {
  return `<div id="ponte-funcionalidade" style="height: 640px"></div>
<script src="${ponte}/sdk/v1/embed.js"></script>
<script>
  ponte.embed({
    elemento: 'ponte-funcionalidade',
    chaveFuncionalidade: '${chaveFuncionalidade}',
    instanciaApp: ${instancia},
    // O token de sessão que o SEU servidor obteve no chaveAuth para esta pessoa
    // (null para uma funcionalidade que não precisa de login).
    token: TOKEN_DO_CHAVE_AUTH,
  });
</script>`;
}

export function chamadaChaveAuth(ponte: string, instancia: Instancia): string {
  return `curl -X POST '${ponte}/clientes/utilitarios/seguranca/chaveAuth?instanciaApp=${instancia}' \\
  -H 'Authorization: <token do cliente com a API seguranca>' \\
  -H 'Content-Type: application/json' \\
  -d '{"chaveUnica": "<CPF da pessoa>"}'`;
}

/** Funcionalidades → Editar → aba Embutir: ready-to-paste code and what must be in place for it to work. */
export function EmbutirTab({ clienteId, instancia, funcionalidade }: { clienteId: string; instancia: Instancia; funcionalidade: Funcionalidade }) {
  const ponte = window.location.origin;
  const { link } = useCliente();
  const origens = useOrigens(clienteId);
  const integracao = useIntegracao(clienteId, instancia);
  const ativa = integracao.data?.elegibilidade.ativa ?? false;
  const totalOrigens = origens.data?.length ?? 0;
  return (
    <Stack gap="md" data-testid="embutir">
      <Text size="sm">
        Mostre esta funcionalidade dentro do seu próprio site. A página dela recebe a <code>chavePasse</code> exatamente como no app e troca-a pelos dados da pessoa na API de dados.
      </Text>
      {!funcionalidade.ativa ? (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
          Esta funcionalidade está desativada: ative-a para poder embuti-la.
        </Alert>
      ) : null}
      <List size="sm" spacing={6} type="ordered">
        <List.Item>
          <Group gap={6}>
            Cadastre a origem do seu site em <Anchor component={Link} to={link('seguranca/origens')}>Segurança → Origens</Anchor>.
            {origens.isPending ? null : totalOrigens > 0 ? (
              <Badge color="green" variant="light" leftSection={<IconCircleCheck size={12} />}>
                {totalOrigens === 1 ? '1 origem cadastrada' : `${totalOrigens} origens cadastradas`}
              </Badge>
            ) : (
              <Badge color="orange" variant="light">
                nenhuma origem cadastrada
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            Só páginas dessas origens podem exibir a funcionalidade (o navegador recusa as demais).
          </Text>
        </List.Item>
        <List.Item>
          <Group gap={6}>
            Para uma pessoa logada no seu site, seu servidor pede um token de sessão no <code>chaveAuth</code> (exige a elegibilidade ativa em Integração).
            {integracao.isPending ? null : ativa ? (
              <Badge color="green" variant="light" leftSection={<IconCircleCheck size={12} />}>
                elegibilidade ativa
              </Badge>
            ) : (
              <Badge color="orange" variant="light">
                elegibilidade desativada
              </Badge>
            )}
          </Group>
          <CopyField value={chamadaChaveAuth(ponte, instancia)} label="Copiar a chamada do chaveAuth" block />
        </List.Item>
        <List.Item>
          Cole no seu site, trocando <code>TOKEN_DO_CHAVE_AUTH</code> pelo token (ou <code>null</code>, para uma página que não precisa de login):
          <CopyField value={codigoEmbutir(ponte, funcionalidade.chaveFuncionalidade, instancia)} label="Copiar o código para embutir" block />
        </List.Item>
      </List>
      <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
        O token do cliente nunca vai ao navegador: só o token de sessão do <code>chaveAuth</code>, que vale 30 minutos e só para a pessoa dele.
      </Alert>
    </Stack>
  );
}

import { ActionIcon, Alert, Badge, Button, Code, CopyButton, Group, Paper, Stack, Table, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconCheck, IconCircleCheck, IconCircleX, IconCopy, IconInfoCircle, IconTerminal2 } from '@tabler/icons-react';
import type { RelatorioValidacao } from '../../api/types.ts';
import { JsonView } from '../../components/JsonView.tsx';
import { formatMs } from '../../lib/format.ts';
import { criterioColors, metodoLabels, resultadoColors, resultadoLabels, statusColor } from '../../lib/labels.ts';
import { corDeTexto } from '../../theme.ts';

type ViolacaoLinha = { caminho: string; criterio: string; esperado: string; recebido: string; mensagem: string };

/**
 * The problem in the validator's sentence, without what the other columns already say: the
 * message reads "<caminho>: <problema> — <critério>, esperado …; recebido …".
 */
function problema(v: ViolacaoLinha): string {
  const semCaminho = v.mensagem.startsWith(`${v.caminho}: `) ? v.mensagem.slice(v.caminho.length + 2) : v.mensagem;
  return semCaminho.split(' — ')[0] ?? semCaminho;
}

export function ViolacoesTable({ violacoes }: { violacoes: ViolacaoLinha[] }) {
  return (
    <Table withTableBorder fz="xs" verticalSpacing="xs" horizontalSpacing="xs" aria-label="Violações do contrato" style={{ tableLayout: 'fixed', overflowWrap: 'anywhere' }}>
      <Table.Thead>
        <Table.Tr style={{ whiteSpace: 'nowrap' }}>
          <Table.Th w="25%">Caminho</Table.Th>
          <Table.Th w={74}>Critério</Table.Th>
          <Table.Th w="20%">Esperado</Table.Th>
          <Table.Th w="18%">Recebido</Table.Th>
          <Table.Th>Mensagem</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {violacoes.map((v, index) => (
          <Table.Tr key={index}>
            <Table.Td>
              <Code fz="xs">{v.caminho}</Code>
            </Table.Td>
            <Table.Td>
              <Badge size="sm" color={criterioColors[v.criterio] ?? 'gray'} variant={v.criterio === 'M' ? 'filled' : 'light'}>
                {v.criterio}
              </Badge>
            </Table.Td>
            <Table.Td>{v.esperado}</Table.Td>
            <Table.Td>{v.recebido}</Table.Td>
            <Table.Td title={v.mensagem}>{problema(v)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** How to read a masked body: the same masks in the validador and in the central de logs (platform/redaction.ts). */
export function LegendaMascaras({ complemento }: { complemento?: string }) {
  return (
    <Text size="xs" c="dimmed" data-testid="legenda-mascaras">
      Dados pessoais e tokens mascarados: <Code fz="xs">*** (19)</Code> era um texto de 19 caracteres, <Code fz="xs">***.***.***-**</Code> mostra o
      formato dos dígitos, <Code fz="xs">#</Code> é um dígito de um número; só campos técnicos do contrato (tipo, acesso, mensagem…) ficam visíveis.
      {complemento ? ` ${complemento}` : ''}
    </Text>
  );
}

/** What each classification means to the person reading the result. */
export const classificacaoLabels: Record<RelatorioValidacao['classificacao'], string> = {
  aprovado: 'Segue o contrato',
  recusa_conforme_contrato: 'Recusa conforme o contrato',
  erro_operadora: 'Erro da operadora (5xx)',
  redirecionamento: 'Redirecionamento não seguido',
  violacao_contrato: 'Violação de contrato',
  indisponivel: 'Indisponível',
  bloqueado: 'Bloqueado pela Ponte',
  nao_configurado: 'Não configurado',
};

const classificacaoColors: Record<RelatorioValidacao['classificacao'], string> = {
  aprovado: 'teal',
  recusa_conforme_contrato: 'blue',
  erro_operadora: 'red',
  redirecionamento: 'orange',
  violacao_contrato: 'red',
  indisponivel: 'grape',
  bloqueado: 'gray',
  nao_configurado: 'gray',
};

/** A small copy button with a tooltip, for a block of text. */
export function BotaoCopiar({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copiado' : label} withArrow>
          <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={label}>
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

const shellQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * The request as a cURL command to repeat it by hand. Header values are never known to the painel
 * (only names come back), so each is a `***` placeholder; the body is the one shown, senhas masked.
 */
export function comoCurl(relatorio: Pick<RelatorioValidacao, 'requisicao'>): string {
  const { url, headers, corpo } = relatorio.requisicao;
  const lines = [`curl -X POST ${shellQuote(url ?? '<url do método>')}`, `  -H 'Content-Type: application/json'`];
  for (const nome of headers) lines.push(`  -H ${shellQuote(`${nome}: ***`)}`);
  lines.push(`  --data ${shellQuote(JSON.stringify(corpo ?? {}))}`);
  return lines.join(' \\\n');
}

/** What one validador run shows: verdict, timing, the request as sent (redacted), the answer and every violation. */
export function ResultadoValidacao({ relatorio }: { relatorio: RelatorioValidacao | NonNullable<RelatorioValidacao['preparo']> }) {
  const aprovado = relatorio.aprovado;
  const preparo = relatorio.preparo;
  return (
    <Stack gap="md" data-testid="resultado-validador">
      {preparo ? (
        <Paper withBorder radius="md" p="md" data-testid="resultado-preparo">
          <Group justify="space-between" wrap="nowrap">
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                Passo 1 · {metodoLabels[preparo.metodo]} de teste
              </Text>
              <Text size="xs" c="dimmed">
                {preparo.aprovado ? 'Aprovado: a seguranca, a chaveUnica e a integracao dele foram usadas no passo 2.' : preparo.mensagem}
              </Text>
            </Stack>
            <Group gap="xs" wrap="nowrap">
              <Badge color={classificacaoColors[preparo.classificacao]} variant="light">
                {classificacaoLabels[preparo.classificacao]}
              </Badge>
              {preparo.resposta ? (
                <Badge color={statusColor(preparo.resposta.status)} variant="light">
                  HTTP {preparo.resposta.status}
                </Badge>
              ) : null}
              <Text size="xs" c="dimmed">
                {formatMs(preparo.latenciaMs)}
              </Text>
            </Group>
          </Group>
        </Paper>
      ) : null}
      <Paper withBorder radius="md" p="lg" style={{ borderColor: `var(--mantine-color-${aprovado ? 'teal' : 'red'}-4)` }}>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Group gap="md" wrap="nowrap" align="flex-start">
            <ThemeIcon size={44} radius="xl" color={aprovado ? 'teal' : 'red'} variant="light">
              {aprovado ? <IconCircleCheck size={28} /> : <IconCircleX size={28} />}
            </ThemeIcon>
            <Stack gap={4}>
              <Group gap="xs">
                <Title order={3} c={corDeTexto(aprovado ? 'teal' : 'red')} data-testid="veredito">
                  {aprovado ? 'Aprovado' : 'Reprovado'}
                </Title>
                <Badge color={classificacaoColors[relatorio.classificacao] ?? resultadoColors[relatorio.resultado]} variant="light" data-testid="classificacao">
                  {classificacaoLabels[relatorio.classificacao] ?? resultadoLabels[relatorio.resultado] ?? relatorio.resultado}
                </Badge>
                {relatorio.expectativa === 'recusa' ? (
                  <Badge color="gray" variant="outline">
                    teste negativo
                  </Badge>
                ) : null}
              </Group>
              <Text size="sm">{relatorio.mensagem}</Text>
              <Text size="xs" c="dimmed">
                {metodoLabels[relatorio.metodo]} · {relatorio.violacoes.length === 0 ? 'nenhuma violação' : `${relatorio.violacoes.length} ${relatorio.violacoes.length === 1 ? 'violação' : 'violações'}`}
              </Text>
            </Stack>
          </Group>
          <Stack gap={4} align="flex-end">
            {relatorio.resposta ? (
              <Badge size="lg" color={statusColor(relatorio.resposta.status)} variant="light">
                HTTP {relatorio.resposta.status}
              </Badge>
            ) : (
              <Badge size="lg" color="gray" variant="light">
                sem resposta
              </Badge>
            )}
            <Text size="sm" c="dimmed">
              {formatMs(relatorio.latenciaMs)}
            </Text>
          </Stack>
        </Group>
      </Paper>

      {relatorio.explicacao ? (
        <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} />} title="Por que a operadora recusou" data-testid="explicacao">
          {relatorio.explicacao}
        </Alert>
      ) : null}

      {relatorio.violacoes.length > 0 ? (
        <Paper withBorder radius="md" p="md">
          <Title order={5} mb="sm" c={corDeTexto('red')}>
            Violações do contrato
          </Title>
          <ViolacoesTable violacoes={relatorio.violacoes} />
        </Paper>
      ) : null}

      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" mb="sm">
          <Title order={5}>Requisição</Title>
          <CopyButton value={comoCurl(relatorio)} timeout={2000}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" color={copied ? 'teal' : 'gray'} leftSection={copied ? <IconCheck size={14} /> : <IconTerminal2 size={14} />} onClick={copy}>
                {copied ? 'Copiado' : 'Copiar como cURL'}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Stack gap="sm">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" fw={500} w={80}>
              URL
            </Text>
            {relatorio.requisicao.url ? <Code style={{ wordBreak: 'break-all' }}>POST {relatorio.requisicao.url}</Code> : <Text size="sm" c="dimmed">não chamada</Text>}
          </Group>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" fw={500} w={80}>
              Headers
            </Text>
            <Group gap={4}>
              {relatorio.requisicao.headers.length === 0 ? (
                <Text size="sm" c="dimmed">
                  nenhum
                </Text>
              ) : (
                relatorio.requisicao.headers.map((nome) => {
                  const origem = relatorio.requisicao.origemHeaders?.[nome];
                  const rotulo = origem === 'login_de_teste' ? 'do login de teste' : origem === 'extra' ? 'extra' : null;
                  return (
                    <Badge key={nome} variant="outline" color={origem === 'login_de_teste' ? 'blue' : origem === 'extra' ? 'violet' : 'gray'} tt="none" ff="monospace">
                      {nome}
                      {rotulo ? ` · ${rotulo}` : ''}
                    </Badge>
                  );
                })
              )}
            </Group>
          </Group>
          <Text size="xs" c="dimmed">
            {relatorio.mascarado
              ? 'Só os nomes dos headers são exibidos; senhas e dados pessoais do corpo aparecem mascarados.'
              : 'Só os nomes dos headers são exibidos; senhas aparecem mascaradas.'}
          </Text>
          <Group justify="flex-end" mb={-8}>
            <BotaoCopiar value={JSON.stringify(relatorio.requisicao.corpo ?? {}, null, 2)} label="Copiar o corpo enviado" />
          </Group>
          <JsonView value={relatorio.requisicao.corpo} label="Corpo enviado" maxHeight={240} />
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="md">
        <Title order={5} mb="sm">
          Resposta
        </Title>
        {relatorio.resposta ? (
          <Stack gap="sm">
            <Text size="sm">
              <Badge color={statusColor(relatorio.resposta.status)} variant="light" mr={6}>
                {relatorio.resposta.status}
              </Badge>
              {relatorio.resposta.statusText}
            </Text>
            {relatorio.resposta.location ? (
              <Text size="sm">
                Location (não seguido): <Code style={{ wordBreak: 'break-all' }}>{relatorio.resposta.location}</Code>
              </Text>
            ) : null}
            <Group justify="flex-end" mb={-8}>
              <BotaoCopiar value={relatorio.resposta.corpo} label="Copiar o corpo recebido" />
            </Group>
            {relatorio.mascarado ? <LegendaMascaras complemento="Só administradores do cliente veem a resposta completa." /> : null}
            <JsonView text={relatorio.resposta.corpo} marks={relatorio.violacoes} label="Corpo recebido" />
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            A operadora não respondeu. {relatorio.mensagem}
          </Text>
        )}
      </Paper>
    </Stack>
  );
}

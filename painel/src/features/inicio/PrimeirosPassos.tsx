import { Anchor, Badge, Group, List, Paper, Progress, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useFormularios } from '../formularios/api.ts';
import { useFuncionalidades } from '../funcionalidades/api.ts';
import { useGrupos } from '../grupos/api.ts';
import { useIntegracao } from '../integracao/api.ts';
import { useLogs } from '../logs/api.ts';
import { useCliente } from '../shell/workspace.tsx';
import { useTokens } from '../tokens/api.ts';

type Passo = { id: string; titulo: string; descricao: string; tela: string; feito: boolean | undefined };

/**
 * "Primeiros passos": the order a new cliente is set up in, each step ticking itself from what the
 * API already says (integração with a URL, a grupo, a successful login through Ponte, a form of
 * its own, a funcionalidade, a token). Shown until every step is done.
 */
export function PrimeirosPassos() {
  const { clienteId, instancia, instanciaNome, link } = useCliente();
  const integracao = useIntegracao(clienteId, instancia);
  const grupos = useGrupos(clienteId, instancia);
  const loginOk = useLogs(clienteId, instancia, { operacao: 'login', resultado: 'sucesso', pagina: 1, porPagina: 1 });
  const formularios = useFormularios(clienteId, instancia);
  const funcionalidades = useFuncionalidades(clienteId, instancia);
  const tokens = useTokens(clienteId);

  const passos: Passo[] = [
    {
      id: 'integracao',
      titulo: 'Configure a integração',
      descricao: 'A URL base da API da operadora (ou a de cada método).',
      tela: 'integracao',
      feito: integracao.data ? integracao.data.configurada && integracao.data.metodos.some((m) => m.urlEfetiva) : undefined,
    },
    { id: 'grupo', titulo: 'Cadastre um grupo de autorização', descricao: 'As credenciais com que a Ponte obtém os tokens da operadora.', tela: 'seguranca/grupos', feito: grupos.data ? grupos.data.length > 0 : undefined },
    { id: 'validar', titulo: 'Valide o login', descricao: 'Execute o login no validador com um beneficiário de teste.', tela: 'validador', feito: loginOk.data ? loginOk.data.total > 0 : undefined },
    {
      id: 'formulario',
      titulo: 'Revise os formulários',
      descricao: 'Personalize os campos que o app mostra (ou fique com os padrões do contrato).',
      tela: 'formularios',
      feito: formularios.data ? formularios.data.formularios.length > 0 : undefined,
    },
    { id: 'funcionalidade', titulo: 'Cadastre uma funcionalidade', descricao: 'Uma página da operadora aberta dentro do app.', tela: 'funcionalidades', feito: funcionalidades.data ? funcionalidades.data.length > 0 : undefined },
    { id: 'token', titulo: 'Crie um token de APIs', descricao: 'Para o backend da operadora chamar a API do cliente.', tela: 'apis', feito: tokens.data ? tokens.data.some((t) => !t.revogadoEm) : undefined },
  ];
  const carregado = passos.every((p) => p.feito !== undefined);
  const feitos = passos.filter((p) => p.feito).length;
  if (!carregado || feitos === passos.length) return null;

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="primeiros-passos-titulo" data-testid="primeiros-passos">
      <Group justify="space-between" align="flex-start" mb="sm" wrap="nowrap">
        <Stack gap={2}>
          <Title order={3} size="h4" id="primeiros-passos-titulo">
            Primeiros passos
          </Title>
          <Text size="sm" c="dimmed">
            Para colocar o app no ar na instância {instanciaNome}. Cada passo se marca sozinho quando é concluído.
          </Text>
        </Stack>
        <Badge variant="light" size="lg" color={feitos > 0 ? 'teal' : 'gray'}>
          {feitos} de {passos.length}
        </Badge>
      </Group>
      <Progress value={(feitos / passos.length) * 100} color="teal" size="sm" mb="md" aria-label={`${feitos} de ${passos.length} passos concluídos`} />
      <List spacing="sm" center>
        {passos.map((passo, index) => (
          <List.Item
            key={passo.id}
            data-testid={`passo-${passo.id}`}
            data-feito={passo.feito ? 'true' : 'false'}
            icon={
              <ThemeIcon color={passo.feito ? 'teal' : 'gray'} variant={passo.feito ? 'filled' : 'light'} size={24} radius="xl">
                {passo.feito ? <IconCircleCheck size={16} aria-hidden /> : <IconCircleDashed size={16} aria-hidden />}
              </ThemeIcon>
            }
          >
            <Group gap={6} wrap="wrap">
              <Anchor component={Link} to={link(passo.tela)} fw={600} size="sm" td={passo.feito ? 'line-through' : undefined}>
                {index + 1}. {passo.titulo}
              </Anchor>
              <Text span size="sm" c="dimmed">
                {passo.feito ? '— concluído' : `— ${passo.descricao}`}
              </Text>
            </Group>
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}

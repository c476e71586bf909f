import { Alert, Button, Code, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Brand, Hero } from '../components.tsx';

const APP_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Without `?app=`: which app (cliente + instância) this demo should be, and where to find its id. */
export function AppIdScreen({ onChoose, naoEncontrado }: { onChoose: (appId: string) => void; naoEncontrado: string | null }) {
  const [valor, setValor] = useState(naoEncontrado ?? '');
  const [erro, setErro] = useState<string | null>(null);

  const enviar = (event: FormEvent) => {
    event.preventDefault();
    const id = valor.trim();
    if (!id) return setErro('Informe o id do app.');
    if (!APP_ID.test(id)) return setErro('O id do app tem até 64 letras, dígitos, "_" ou "-" (ex.: app_sbx_…).');
    onChoose(id);
  };

  return (
    <div className="demo-screen">
      <div className="demo-scroll">
        <Hero title="Qual app abrir?" subtitle="Esta demo fala com a Ponte como o app de uma operadora: ela precisa do id público do app da instância.">
          <Brand />
        </Hero>
        <Stack className="demo-overlap" gap="md">
          {naoEncontrado ? (
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="App não encontrado" role="alert">
              <Text size="sm">
                A Ponte não conhece um app com o id <Code>{naoEncontrado}</Code>. Confira o id e tente de novo.
              </Text>
            </Alert>
          ) : null}
          <Paper withBorder radius="lg" p="lg" shadow="sm" component="form" onSubmit={enviar} noValidate>
            <Stack gap="md">
              <TextInput
                label="Id do app"
                placeholder="app_sbx_…"
                description="Cada instância de um cliente tem o seu: Sandbox começa com app_sbx_, Produção com app_prd_."
                value={valor}
                onChange={(e) => {
                  setValor(e.currentTarget.value);
                  setErro(null);
                }}
                error={erro}
                autoComplete="off"
                spellCheck={false}
                required
                data-autofocus
              />
              <Button type="submit" fullWidth size="md">
                Abrir o app
              </Button>
            </Stack>
          </Paper>
          <Paper withBorder radius="lg" p="lg">
            <Title order={2} fz="sm" mb="xs">
              Onde encontro o id?
            </Title>
            <List size="sm" spacing={6}>
              <List.Item>
                No painel, no pé da barra lateral: <b>App demo</b> mostra o id da instância escolhida (Sandbox ou Produção) e abre esta página com ele.
              </List.Item>
              <List.Item>
                O <Code>npm start</Code> imprime o endereço desta demo já com o id, na linha <b>App demo</b>.
              </List.Item>
              <List.Item>
                Pela API do painel: <Code>GET /painel/api/clientes</Code>, em <Code>instancias[].appId</Code>.
              </List.Item>
            </List>
          </Paper>
        </Stack>
      </div>
    </div>
  );
}

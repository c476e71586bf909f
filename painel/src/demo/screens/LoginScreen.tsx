import { Alert, Anchor, Group, Stack, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { ValoresFormulario } from '../../shared/formulario/CamposFormulario.tsx';
import type { AppApi } from '../api.ts';
import { AvisoAlert, Brand, Hero, type Aviso } from '../components.tsx';
import type { Configuracao, SessaoCriada } from '../types.ts';
import { FormularioEnviavel } from './FormularioEnviavel.tsx';

type Props = {
  api: AppApi;
  config: Configuracao;
  appId: string;
  aviso: Aviso | null;
  onFecharAviso: () => void;
  onEntrou: (sessao: SessaoCriada) => void;
  onEsqueci: () => void;
  onTrocarApp: () => void;
};

/** Login with the instância's login form; field errors beside the fields, an operator refusal above them. */
export function LoginScreen({ api, config, appId, aviso, onFecharAviso, onEntrou, onEsqueci, onTrocarApp }: Props) {
  const form = config.formularios.login;
  const entrar = useMutation({ mutationFn: (campos: ValoresFormulario) => api.entrar(campos), onSuccess: onEntrou });

  return (
    <div className="demo-screen">
      <div className="demo-scroll">
        <Hero title="Entrar" subtitle="Use os dados de acesso do seu plano de saúde.">
          <Brand cliente={config.cliente.nome} instancia={config.instancia.nome} />
        </Hero>
        <Stack className="demo-overlap" gap="md">
          {aviso ? <AvisoAlert aviso={aviso} onClose={onFecharAviso} /> : null}
          {!config.recursos.login ? (
            <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />} title="Login ainda não configurado">
              <Text size="sm">A integração desta instância não tem o método de login. Configure-o no painel, em Integração.</Text>
            </Alert>
          ) : null}
          <FormularioEnviavel
            form={form}
            idPrefix="login"
            error={entrar.error}
            pending={entrar.isPending}
            titulo="Não foi possível entrar"
            botao="Entrar"
            onSubmit={(valores) => entrar.mutate(valores)}
            desabilitado={!config.recursos.login}
            destaque
          >
            {config.recursos.recuperarSenha ? (
              <Anchor component="button" type="button" size="sm" ta="center" onClick={onEsqueci}>
                Esqueci minha senha
              </Anchor>
            ) : null}
          </FormularioEnviavel>
          <Group justify="center" gap={4}>
            <Text size="xs" c="dimmed">
              Demonstração da Ponte · {config.instancia.nome}
            </Text>
            <Text size="xs" c="dimmed">
              ·
            </Text>
            <Anchor component="button" type="button" size="xs" onClick={onTrocarApp} title={`Id do app atual: ${appId}`}>
              trocar de app
            </Anchor>
          </Group>
        </Stack>
      </div>
    </div>
  );
}

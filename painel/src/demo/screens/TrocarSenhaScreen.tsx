import { Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { ValoresFormulario } from '../../shared/formulario/CamposFormulario.tsx';
import type { AppApi } from '../api.ts';
import { TopBar } from '../components.tsx';
import type { Configuracao } from '../types.ts';
import { FormularioEnviavel } from './FormularioEnviavel.tsx';

type Props = {
  api: AppApi;
  token: string;
  config: Configuracao;
  onSessaoAcabou: (error: unknown) => boolean;
  onVoltar: () => void;
  onConcluido: (mensagem: string) => void;
};

/** Trocar senha (logged in), with the instância's trocarSenha form; the operator decides. */
export function TrocarSenhaScreen({ api, token, config, onSessaoAcabou, onVoltar, onConcluido }: Props) {
  const form = config.formularios.trocarSenha;
  const trocar = useMutation({
    mutationFn: (campos: ValoresFormulario) => api.trocarSenha(token, campos),
    onSuccess: (resposta) => onConcluido(resposta.mensagem),
    onError: (error) => onSessaoAcabou(error),
  });

  return (
    <div className="demo-screen">
      <TopBar title="Trocar senha" onBack={onVoltar} />
      <div className="demo-scroll">
        <Stack p="md" gap="md">
          <Text size="sm" c="dimmed">
            Informe a senha atual e a nova. A troca é feita no sistema da operadora.
          </Text>
          <FormularioEnviavel
            form={form}
            idPrefix="trocar-senha"
            error={trocar.error}
            pending={trocar.isPending}
            titulo="Não foi possível trocar a senha"
            botao="Salvar nova senha"
            onSubmit={(valores) => trocar.mutate(valores)}
          />
        </Stack>
      </div>
    </div>
  );
}

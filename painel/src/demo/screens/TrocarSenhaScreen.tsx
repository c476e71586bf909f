import { Button, Paper, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CamposFormulario, type ValoresFormulario } from '../../shared/formulario/CamposFormulario.tsx';
import type { AppApi } from '../api.ts';
import { ErroAlert, TopBar } from '../components.tsx';
import type { Configuracao } from '../types.ts';
import { useErrosDoFormulario } from './use-erros-do-formulario.ts';

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
  const [valores, setValores] = useState<ValoresFormulario>({});
  const trocar = useMutation({
    mutationFn: (campos: ValoresFormulario) => api.trocarSenha(token, campos),
    onSuccess: (resposta) => onConcluido(resposta.mensagem),
    onError: (error) => onSessaoAcabou(error),
  });
  const erros = useErrosDoFormulario(trocar.error, form.campos);
  const alerta = trocar.isError && (erros.restantes.length > 0 || !erros.deCampo);

  const enviar = (event: FormEvent) => {
    event.preventDefault();
    trocar.mutate(valores);
  };

  return (
    <div className="demo-screen">
      <TopBar title="Trocar senha" onBack={onVoltar} />
      <div className="demo-scroll">
        <Stack p="md" gap="md">
          <Text size="sm" c="dimmed">
            Informe a senha atual e a nova. A troca é feita no sistema da operadora.
          </Text>
          <Paper withBorder radius="lg" p="lg" component="form" onSubmit={enviar} noValidate aria-label={form.nome}>
            <Stack gap="md">
              {alerta ? <ErroAlert error={trocar.error} title="Não foi possível trocar a senha" details={erros.restantes} /> : null}
              <CamposFormulario
                campos={form.campos}
                valores={valores}
                erros={erros.porCampo}
                onChange={(nome, valor) => {
                  setValores((atual) => ({ ...atual, [nome]: valor }));
                  erros.limpar(nome);
                }}
                disabled={trocar.isPending}
                idPrefix="trocar-senha"
              />
              <Button type="submit" size="md" fullWidth loading={trocar.isPending}>
                Salvar nova senha
              </Button>
            </Stack>
          </Paper>
        </Stack>
      </div>
    </div>
  );
}

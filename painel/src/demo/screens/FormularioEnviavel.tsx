import { Button, Paper, Stack } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { CamposFormulario, type ValoresFormulario } from '../../shared/formulario/CamposFormulario.tsx';
import { ErroAlert } from '../components.tsx';
import type { FormularioDoApp } from '../types.ts';
import { useErrosDoFormulario } from './use-erros-do-formulario.ts';

/**
 * One of the instância's forms as the app submits it (login, recuperar senha, trocar senha): the
 * fields through the shared renderer, the server's field errors beside them, and anything no field
 * owns — an operator refusal — in an alert above.
 */
export function FormularioEnviavel({
  form,
  idPrefix,
  error,
  pending,
  titulo,
  botao,
  onSubmit,
  desabilitado = false,
  destaque = false,
  children,
}: {
  form: FormularioDoApp;
  idPrefix: string;
  error: unknown;
  pending: boolean;
  /** Title of the alert when the submission fails. */
  titulo: string;
  botao: string;
  onSubmit: (valores: ValoresFormulario) => void;
  desabilitado?: boolean;
  /** A raised card (the login screen's). */
  destaque?: boolean;
  /** Below the button, e.g. "Esqueci minha senha". */
  children?: ReactNode;
}) {
  const [valores, setValores] = useState<ValoresFormulario>({});
  const erros = useErrosDoFormulario(error, form.campos);
  const alerta = Boolean(error) && (erros.restantes.length > 0 || !erros.deCampo);
  const enviar = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(valores);
  };
  return (
    <Paper withBorder radius="lg" p="lg" shadow={destaque ? 'sm' : undefined} component="form" onSubmit={enviar} noValidate aria-label={form.nome}>
      <Stack gap="md">
        {alerta ? <ErroAlert error={error} title={titulo} details={erros.restantes} /> : null}
        <CamposFormulario
          campos={form.campos}
          valores={valores}
          erros={erros.porCampo}
          onChange={(nome, valor) => {
            setValores((atual) => ({ ...atual, [nome]: valor }));
            erros.limpar(nome);
          }}
          disabled={pending}
          idPrefix={idPrefix}
        />
        <Button type="submit" size="md" fullWidth loading={pending} disabled={desabilitado}>
          {botao}
        </Button>
        {children}
      </Stack>
    </Paper>
  );
}

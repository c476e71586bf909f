import { Alert, Badge, Box, Button, Code, Group, Paper, Stack, Switch, Text } from '@mantine/core';
import { IconAlertTriangle, IconBattery3, IconCircleCheck, IconWifi } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, type ErrorDetail } from '../../api/client.ts';
import type { CampoFormulario, DefinicaoFormularioEntrada, Instancia, FinalidadeFormulario, TesteFormulario } from '../../api/types.ts';
import { JsonView } from '../../components/JsonView.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { metodoLabels } from '../../lib/labels.ts';
import { CamposFormulario, type ValoresFormulario } from '../../shared/formulario/CamposFormulario.tsx';
import { useTestarFormulario } from './api.ts';
import { corDeTexto } from '../../theme.ts';

/** What the app's button says on each screen. */
const acaoDoMetodo: Record<FinalidadeFormulario, string> = {
  login: 'Entrar',
  recuperarSenhaIdentificacao: 'Continuar',
  recuperarSenhaNovaSenha: 'Salvar nova senha',
  trocarSenha: 'Trocar senha',
};

/** A field of the preview: `chave` identifies it while its wire name is being typed. */
export type CampoDaPrevia = { chave: string; campo: CampoFormulario };

type Resultado = { teste: TesteFormulario } | { erro: unknown };

/**
 * The form as the beneficiary sees it, in a phone-sized frame, rendered by the same component as
 * the demo app. "Validar como o servidor" sends the definition in the editor and the values typed
 * here to the server, which validates them exactly as it validates the app's submission.
 */
export function PreviaFormulario({
  clienteId,
  instancia,
  campos,
  definicao,
  problemasDaDefinicao,
  onErrosDaDefinicao,
}: {
  clienteId: string;
  instancia: Instancia;
  campos: CampoDaPrevia[];
  /** The definition as it would be saved. */
  definicao: DefinicaoFormularioEntrada;
  /** How many problems the editor already shows: the server is not asked while there are any. */
  problemasDaDefinicao: number;
  /** Problems the server found in the definition (paths like `campos.2.nome`). */
  onErrosDaDefinicao?: (details: ErrorDetail[]) => void;
}) {
  const testar = useTestarFormulario(clienteId, instancia);
  const [valores, setValores] = useState<ValoresFormulario>({});
  const [validar, setValidar] = useState(false);
  const [resultado, setResultado] = useState<Resultado | null>(null);
  const pedido = useRef(0);

  // The values under the names the server knows; a field without a name yet is not sent.
  const envio = useMemo(() => {
    const porNome: Record<string, string> = {};
    for (const { chave, campo } of campos) if (campo.nome && valores[chave] !== undefined && valores[chave] !== '') porNome[campo.nome] = valores[chave] as string;
    return porNome;
  }, [campos, valores]);
  const chaveDoPedido = JSON.stringify([definicao, envio]);

  function executar() {
    if (problemasDaDefinicao > 0) return;
    const numero = ++pedido.current;
    testar.mutate(
      { definicao, valores: envio },
      {
        onSuccess: (teste) => numero === pedido.current && setResultado({ teste }),
        onError: (erro) => {
          if (numero !== pedido.current) return;
          setResultado({ erro });
          if (erro instanceof ApiError && erro.status === 400) {
            onErrosDaDefinicao?.(erro.details.map((d) => ({ ...d, ...(d.field ? { field: d.field.replace(/^definicao\./, '') } : {}) })));
          }
        },
      },
    );
  }

  // While "validar" is on, every change (of the values or of the definition) is checked again.
  useEffect(() => {
    if (!validar) return;
    const timer = setTimeout(executar, 400);
    return () => clearTimeout(timer);
  }, [validar, chaveDoPedido, problemasDaDefinicao]);

  const teste = resultado && 'teste' in resultado ? resultado.teste : null;
  const mostrar = validar && problemasDaDefinicao === 0;
  const erros: Record<string, string> = {};
  const errosSemCampo: ErrorDetail[] = [];
  if (mostrar && teste && !teste.valido) {
    for (const erro of teste.erros) {
      const chave = erro.field ? campos.find((c) => c.campo.nome === erro.field)?.chave : undefined;
      if (chave && !erros[chave]) erros[chave] = erro.message;
      else errosSemCampo.push(erro);
    }
  }
  const nomeDoMetodo = metodoLabels[definicao.finalidade];

  return (
    <Stack gap="sm" w={360} maw="100%">
      <Paper
        radius={36}
        p={10}
        bg="dark.7"
        shadow="md"
        aria-label={`Prévia do formulário no app: ${nomeDoMetodo}`}
        role="region"
        data-testid="previa-formulario"
      >
        <Box bg="white" style={{ borderRadius: 28, overflow: 'hidden' }}>
          <Group justify="space-between" px="lg" pt={10} pb={4} aria-hidden>
            <Text size="xs" fw={600}>
              9:41
            </Text>
            <Group gap={4}>
              <IconWifi size={14} />
              <IconBattery3 size={16} />
            </Group>
          </Group>
          <Box px="lg" py="sm" bg="indigo.7" c="white">
            <Text size="xs" opacity={0.8}>
              App da operadora
            </Text>
            <Text fw={700} size="lg" lh={1.2}>
              {nomeDoMetodo}
            </Text>
          </Box>
          <Box
            component="form"
            px="lg"
            py="md"
            mih={300}
            onSubmit={(event) => {
              event.preventDefault();
              setValidar(true);
              executar();
            }}
            noValidate
          >
            <Stack gap="md">
              {campos.length === 0 ? (
                <Text size="sm" c="dimmed" ta="center" py="xl">
                  Adicione um campo para vê-lo aqui.
                </Text>
              ) : (
                <CamposFormulario
                  campos={campos.map((c) => {
                    // Keyed by `chave` while names are typed: a confirmation points at its field's key too.
                    const confirma = c.campo.confirma ? campos.find((alvo) => alvo.campo.nome === c.campo.confirma)?.chave : undefined;
                    return { ...c.campo, nome: c.chave, rotulo: c.campo.rotulo || '(sem rótulo)', confirma };
                  })}
                  valores={valores}
                  erros={erros}
                  onChange={(chave, valor) => setValores((atual) => ({ ...atual, [chave]: valor }))}
                  idPrefix="previa"
                />
              )}
              <Button type="submit" fullWidth radius="xl" mt="xs" disabled={campos.length === 0}>
                {acaoDoMetodo[definicao.finalidade]}
              </Button>
            </Stack>
          </Box>
        </Box>
      </Paper>

      <Paper withBorder radius="md" p="sm">
        <Stack gap="xs">
          <Switch
            checked={validar}
            onChange={(event) => {
              const ligado = event.currentTarget.checked;
              setValidar(ligado);
              if (!ligado) setResultado(null);
            }}
            label="Validar como o servidor"
            description="A cada alteração, a Ponte valida o que foi digitado com esta definição, como faz com o envio do app."
          />
          {validar ? (
            problemasDaDefinicao > 0 ? (
              <Text size="sm" c={corDeTexto('orange')}>
                Corrija {problemasDaDefinicao === 1 ? 'o problema indicado' : `os ${problemasDaDefinicao} problemas indicados`} na definição para testar.
              </Text>
            ) : resultado && 'erro' in resultado ? (
              <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />} p="xs">
                <Text size="sm">{errorMessage(resultado.erro)}</Text>
              </Alert>
            ) : teste === null ? (
              <Text size="sm" c="dimmed">
                Validando…
              </Text>
            ) : teste.valido ? (
              <Stack gap={6} data-testid="resultado-teste">
                <Group gap={6}>
                  <IconCircleCheck size={18} color="var(--mantine-color-teal-7)" aria-hidden />
                  <Text size="sm" fw={600} c={corDeTexto('teal')}>
                    Válido. A operadora receberia:
                  </Text>
                </Group>
                <JsonView value={teste.corpo} maxHeight={200} label="Corpo que seria enviado à operadora" />
                <Text size="xs" c="dimmed">
                  Senhas aparecem mascaradas aqui; a Ponte também envia os campos fixos do método.
                </Text>
              </Stack>
            ) : (
              <Stack gap={4} data-testid="resultado-teste">
                <Group gap={6}>
                  <Badge color="red" variant="light">
                    {teste.erros.length} {teste.erros.length === 1 ? 'erro' : 'erros'}
                  </Badge>
                  <Text size="sm">A Ponte recusaria este envio antes de chamar a operadora.</Text>
                </Group>
                {errosSemCampo.map((erro, index) => (
                  <Text key={index} size="sm" c={corDeTexto('red')}>
                    {erro.field ? <Code>{erro.field}</Code> : null} {erro.message}
                  </Text>
                ))}
              </Stack>
            )
          ) : null}
          {validar && teste && teste.ignorados.length > 0 ? (
            <Text size="xs" c="dimmed">
              Ignorados (o formulário não os tem): {teste.ignorados.join(', ')}
            </Text>
          ) : null}
        </Stack>
      </Paper>
    </Stack>
  );
}

import { useState } from 'react';
import { Alert, Badge, Button, Code, Group, Modal, NumberInput, Paper, SegmentedControl, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { IconCircleCheck, IconInfoCircle, IconUserCheck } from '@tabler/icons-react';
import type { Instancia, Integracao } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../lib/errors.ts';
import { useSaveElegibilidade } from './api.ts';

const nomeInstancia = (instancia: Instancia) => (instancia === 1 ? 'Sandbox' : 'Produção');

/**
 * Integração → Elegibilidade: the operator's login for a person it already knows (no password).
 * "Ativo" turns it on only after the live check passes (the Ponte calls it with a test chave
 * única); chaveAuth, embedded funcionalidades with login and relogin need it on. The relogin
 * interval refreshes app sessions older than N hours through it.
 */
export function ElegibilidadePanel({ clienteId, instancia, integracao, podeEditar }: { clienteId: string; instancia: Instancia; integracao: Integracao; podeEditar: boolean }) {
  const save = useSaveElegibilidade(clienteId, instancia);
  const { ativa, reloginHoras } = integracao.elegibilidade;
  const metodo = integracao.metodos.find((m) => m.metodo === 'elegibilidade');
  const semUrl = !metodo?.urlEfetiva;
  const [verificando, setVerificando] = useState(false);
  const [chaveUnica, setChaveUnica] = useState('');
  const [modo, setModo] = useState<'desligado' | 'ligado'>(reloginHoras ? 'ligado' : 'desligado');
  const [horas, setHoras] = useState<number | string>(reloginHoras ?? 24);
  const horasValidas = typeof horas === 'number' && Number.isInteger(horas) && horas >= 1 && horas <= 720;
  const reloginEscolhido = modo === 'ligado' ? (horasValidas ? (horas as number) : null) : null;
  const reloginMudou = modo === 'ligado' ? horasValidas && horas !== reloginHoras : reloginHoras !== null;

  const desligar = () =>
    save.mutate({ ativa: false, reloginHoras }, { onSuccess: () => notifySuccess(`Elegibilidade desativada na instância ${nomeInstancia(instancia)}.`) });

  const ativar = () =>
    save.mutate(
      { ativa: true, reloginHoras, chaveUnicaTeste: chaveUnica.trim() },
      {
        onSuccess: () => {
          setVerificando(false);
          setChaveUnica('');
          notifySuccess('A elegibilidade passou na verificação ao vivo e está ativa.', 'Elegibilidade ativa');
        },
      },
    );

  const salvarRelogin = () =>
    save.mutate(
      { ativa, reloginHoras: reloginEscolhido },
      { onSuccess: () => notifySuccess(reloginEscolhido ? `Relogin a cada ${reloginEscolhido} h.` : 'Relogin desligado.', 'Relogin salvo') },
    );

  return (
    <Paper withBorder radius="md" p="lg" data-testid="elegibilidade">
      <Group justify="space-between" mb={4}>
        <Group gap="xs">
          <Title order={4}>Elegibilidade</Title>
          <Code>/elegibilidade</Code>
          {ativa ? (
            <Badge color="green" variant="light" leftSection={<IconCircleCheck size={12} />}>
              ativa
            </Badge>
          ) : (
            <Badge color="gray" variant="light">
              desativada
            </Badge>
          )}
        </Group>
        <Switch
          label="Ativo"
          checked={ativa}
          disabled={!podeEditar || save.isPending || (semUrl && !ativa)}
          onChange={(event) => (event.currentTarget.checked ? (save.reset(), setVerificando(true)) : desligar())}
        />
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        Login de um beneficiário que a operadora já conhece, sem senha: a Ponte envia <Code fz="xs">chaveUnica</Code> e <Code fz="xs">integracao</Code> (com os headers de
        segurança do usuário) e espera a mesma resposta do login. Usada pelo <Code fz="xs">chaveAuth</Code>, pelas funcionalidades embutidas no seu site e pelo relogin.
      </Text>
      <Stack gap="md">
        {semUrl ? (
          <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
            Configure a URL da elegibilidade (ou a URL base) em Métodos e salve a integração antes de ativá-la.
          </Alert>
        ) : null}
        {save.error && !verificando ? <ErrorAlert error={save.error} title="Não foi possível salvar a elegibilidade" /> : null}
        <div>
          <Text size="sm" fw={500}>
            Relogin
          </Text>
          <Text size="xs" c="dimmed" mb={6}>
            Sessões do app mais antigas que o intervalo renovam permissões e beneficiários pela elegibilidade (ao abrir o app e antes de abrir uma funcionalidade). Se a operadora
            recusar a pessoa, a sessão termina; se ela estiver fora do ar, a sessão continua e a falha fica na central de logs.
          </Text>
          <Group align="flex-end" gap="sm">
            <SegmentedControl
              aria-label="Relogin"
              disabled={!podeEditar}
              value={modo}
              onChange={(value) => setModo(value as 'desligado' | 'ligado')}
              data={[
                { value: 'desligado', label: 'Desligado' },
                { value: 'ligado', label: 'A cada N horas' },
              ]}
            />
            {modo === 'ligado' ? (
              <NumberInput
                aria-label="Intervalo do relogin em horas"
                w={140}
                min={1}
                max={720}
                allowDecimal={false}
                allowNegative={false}
                clampBehavior="none"
                suffix=" h"
                readOnly={!podeEditar}
                value={horas}
                onChange={setHoras}
                error={horasValidas ? undefined : 'De 1 a 720 horas.'}
              />
            ) : null}
            <Button variant="light" disabled={!podeEditar || !reloginMudou || semUrl} loading={save.isPending && !verificando} onClick={salvarRelogin}>
              Salvar relogin
            </Button>
          </Group>
          {reloginHoras ? (
            <Text size="xs" c="dimmed" mt={6}>
              Em vigor: a cada {reloginHoras} h{ativa ? '' : ' (só vale com a elegibilidade ativa)'}.
            </Text>
          ) : null}
        </div>
      </Stack>

      <Modal opened={verificando} onClose={() => setVerificando(false)} title={<Text fw={600}>Ativar a elegibilidade</Text>} centered>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (chaveUnica.trim()) ativar();
          }}
        >
          <Stack>
            <Text size="sm">
              A Ponte chama agora a elegibilidade da instância {nomeInstancia(instancia)} com a chave única abaixo e só ativa se a resposta seguir o contrato do login.
            </Text>
            {save.error ? <ErrorAlert error={save.error} title="A elegibilidade continua desativada" /> : null}
            <TextInput
              label="Chave única de um beneficiário de teste"
              description="Em geral o CPF, como a operadora o conhece."
              placeholder="52998224725"
              maxLength={200}
              data-autofocus
              value={chaveUnica}
              onChange={(event) => setChaveUnica(event.currentTarget.value)}
              error={chaveUnica.trim() === '' && save.isError ? 'Informe a chave única.' : undefined}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setVerificando(false)}>
                Cancelar
              </Button>
              <Button type="submit" leftSection={<IconUserCheck size={16} />} loading={save.isPending} disabled={!chaveUnica.trim()}>
                Verificar e ativar
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}

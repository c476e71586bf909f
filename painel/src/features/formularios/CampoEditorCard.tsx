import { ActionIcon, Badge, Box, Button, Code, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Text, TextInput, Tooltip } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash, IconX } from '@tabler/icons-react';
import { exemploDeMascara } from '../../shared/formulario/mascara.ts';
import {
  aceitaConfirmacao,
  aceitaIdentificador,
  aceitaMascara,
  aceitaMinMax,
  aceitaPadrao,
  camposConfirmaveis,
  limites,
  mascaraPadrao,
  minMaxEhTamanho,
  opcaoVazia,
  rotuloDoTipo,
  tiposDeCampo,
  type FormularioEditor,
  type TipoCampo,
} from './regras.ts';
import { corDeTexto } from '../../theme.ts';

type Props = {
  form: UseFormReturnType<FormularioEditor>;
  index: number;
  total: number;
  onMover: (de: number, para: number) => void;
  onRemover: (index: number) => void;
};

/** The field id the move buttons return the focus to after the card moves. */
export const idDoBotao = (chave: string, acao: 'subir' | 'descer') => `campo-${chave}-${acao}`;

/**
 * One field of the form being edited. Only the properties the field's type accepts are shown
 * (forms.schemas.ts): min/max for text, senha, email (length) and numero (value); a pattern for
 * text and senha; a mask for text, cpf, data, telefone and numero; options for select; for text,
 * senha and email, the field it confirms (typed twice; Ponte compares and never sends it).
 */
export function CampoEditorCard({ form, index, total, onMover, onRemover }: Props) {
  const campo = form.values.campos[index]!;
  const p = `campos.${index}`;
  const nomeCampo = campo.rotulo.trim() || campo.nome.trim() || `Campo ${index + 1}`;
  const tamanho = minMaxEhTamanho(campo.tipo);
  const erroDasOpcoes = form.errors[`${p}.opcoes`];
  // A confirmation ("digite de novo") shares its field's rules: only its own label, help and mask are shown.
  const confirmacao = aceitaConfirmacao(campo.tipo) && campo.confirma.trim() !== '';
  const confirmaveis = camposConfirmaveis(form.values.campos, index);
  const mostraPadrao = aceitaPadrao(campo.tipo) && !confirmacao;
  const opcoesConfirma = confirmacao && !confirmaveis.includes(campo.confirma.trim()) ? [campo.confirma.trim(), ...confirmaveis] : confirmaveis;

  return (
    <Paper withBorder radius="md" p="md" m={0} component="fieldset" style={{ minInlineSize: 0 }} aria-label={`Campo ${index + 1}: ${nomeCampo}`} data-testid="campo-editor">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <Badge variant="filled" color="indigo" circle size="lg">
              {index + 1}
            </Badge>
            <Text fw={600} truncate>
              {nomeCampo}
            </Text>
            <Badge variant="light" color="gray" size="sm">
              {rotuloDoTipo[campo.tipo]}
            </Badge>
          </Group>
          <Group gap={2} wrap="nowrap">
            <Tooltip label="Mover para cima">
              <ActionIcon id={idDoBotao(campo.chave, 'subir')} variant="subtle" color="gray" disabled={index === 0} onClick={() => onMover(index, index - 1)} aria-label={`Mover o campo ${nomeCampo} para cima`}>
                <IconArrowUp size={18} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Mover para baixo">
              <ActionIcon id={idDoBotao(campo.chave, 'descer')} variant="subtle" color="gray" disabled={index === total - 1} onClick={() => onMover(index, index + 1)} aria-label={`Mover o campo ${nomeCampo} para baixo`}>
                <IconArrowDown size={18} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={total === 1 ? 'O formulário precisa de ao menos um campo' : 'Remover campo'}>
              <ActionIcon variant="subtle" color="red" disabled={total === 1} onClick={() => onRemover(index)} aria-label={`Remover o campo ${nomeCampo}`}>
                <IconTrash size={18} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>

        <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
          <TextInput
            id={`campo-${campo.chave}-rotulo`}
            label="Rótulo"
            description="O que o beneficiário lê no app"
            placeholder="Data de nascimento"
            required
            {...form.getInputProps(`${p}.rotulo`)}
          />
          <TextInput
            label="Nome enviado"
            description="Atributo no corpo enviado à operadora"
            placeholder="dataNascimento"
            required
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            autoComplete="off"
            spellCheck={false}
            {...form.getInputProps(`${p}.nome`)}
          />
          <Select
            label="Tipo"
            data={tiposDeCampo}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps(`${p}.tipo`)}
            onChange={(tipo) => {
              if (!tipo) return;
              form.setFieldValue(`${p}.tipo`, tipo as TipoCampo);
              if (tipo === 'select' && campo.opcoes.length === 0) form.setFieldValue(`${p}.opcoes`, [opcaoVazia()]);
            }}
          />
          <Box pt={28}>
            <Switch label="Obrigatório" {...form.getInputProps(`${p}.obrigatorio`, { type: 'checkbox' })} />
          </Box>
        </SimpleGrid>

        {aceitaConfirmacao(campo.tipo) && (confirmacao || confirmaveis.length > 0) ? (
          <Select
            label="Confirma o campo"
            description="Para digitar duas vezes (ex.: Confirme a nova senha): o valor precisa ser igual ao do campo escolhido; a Ponte confere e não o envia à operadora"
            placeholder="Não é uma confirmação"
            data={opcoesConfirma}
            clearable
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps(`${p}.confirma`)}
            value={campo.confirma.trim() || null}
            onChange={(nome) => form.setFieldValue(`${p}.confirma`, nome ?? '')}
          />
        ) : null}

        {aceitaIdentificador(form.values.finalidade, campo.tipo) && !confirmacao ? (
          <Switch
            label="Identifica a pessoa"
            description="CPF, matrícula ou e-mail: os limites de tentativas contam por este campo (sem marca, vale o campo de CPF)"
            {...form.getInputProps(`${p}.identificador`, { type: 'checkbox' })}
          />
        ) : null}

        {aceitaMinMax(campo.tipo) && !confirmacao ? (
          <SimpleGrid cols={2} spacing="sm">
            <NumberInput
              label={tamanho ? 'Tamanho mínimo' : 'Valor mínimo'}
              description={tamanho ? 'Em caracteres' : undefined}
              placeholder="sem mínimo"
              allowDecimal={!tamanho}
              allowNegative={!tamanho}
              min={tamanho ? 0 : undefined}
              max={tamanho ? limites.maxTamanho : undefined}
              decimalSeparator=","
              {...form.getInputProps(`${p}.min`)}
            />
            <NumberInput
              label={tamanho ? 'Tamanho máximo' : 'Valor máximo'}
              description={tamanho ? 'Em caracteres' : undefined}
              placeholder="sem máximo"
              allowDecimal={!tamanho}
              allowNegative={!tamanho}
              min={tamanho ? 0 : undefined}
              max={tamanho ? limites.maxTamanho : undefined}
              decimalSeparator=","
              {...form.getInputProps(`${p}.max`)}
            />
          </SimpleGrid>
        ) : null}

        {aceitaMascara(campo.tipo) || mostraPadrao ? (
          <SimpleGrid cols={aceitaMascara(campo.tipo) && mostraPadrao ? 2 : 1} spacing="sm">
            {aceitaMascara(campo.tipo) ? (
              <TextInput
                label="Máscara"
                description={mascaraPadrao[campo.tipo] && !campo.mascara ? `Em branco: ${exemploDeMascara(mascaraPadrao[campo.tipo]!)}` : '9 dígito · A letra · * ambos'}
                placeholder={mascaraPadrao[campo.tipo] ?? 'ex.: 99999-999'}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                spellCheck={false}
                autoComplete="off"
                {...form.getInputProps(`${p}.mascara`)}
              />
            ) : null}
            {mostraPadrao ? (
              <TextInput
                label="Padrão (expressão regular)"
                description="O valor inteiro deve segui-lo"
                placeholder="\d{6,8}"
                leftSection={<Text size="sm" c="dimmed" ff="monospace">^</Text>}
                rightSection={<Text size="sm" c="dimmed" ff="monospace">$</Text>}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                spellCheck={false}
                autoComplete="off"
                {...form.getInputProps(`${p}.padrao`)}
              />
            ) : null}
          </SimpleGrid>
        ) : null}

        {campo.tipo === 'select' ? (
          <Stack gap={6} role="group" aria-label={`Opções do campo ${nomeCampo}`}>
            <Group justify="space-between">
              <Text size="sm" fw={500}>
                Opções <Text span c="red">*</Text>
              </Text>
              <Text size="xs" c="dimmed">
                <Code>valor</Code> vai para a operadora; o texto aparece no app
              </Text>
            </Group>
            {campo.opcoes.map((opcao, j) => (
              <Group key={opcao.chave} gap="xs" align="flex-start" wrap="nowrap">
                <TextInput
                  aria-label={`Valor da opção ${j + 1}`}
                  placeholder="valor"
                  style={{ flex: 1 }}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                  {...form.getInputProps(`${p}.opcoes.${j}.valor`)}
                />
                <TextInput aria-label={`Texto da opção ${j + 1}`} placeholder="Texto exibido" style={{ flex: 1.4 }} {...form.getInputProps(`${p}.opcoes.${j}.rotulo`)} />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  mt={6}
                  onClick={() => form.removeListItem(`${p}.opcoes`, j)}
                  disabled={campo.opcoes.length === 1}
                  aria-label={`Remover a opção ${j + 1}`}
                >
                  <IconX size={16} />
                </ActionIcon>
              </Group>
            ))}
            {erroDasOpcoes ? (
              <Text size="xs" c={corDeTexto('red')} role="alert">
                {erroDasOpcoes}
              </Text>
            ) : null}
            <Button
              variant="subtle"
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => form.insertListItem(`${p}.opcoes`, opcaoVazia())}
              disabled={campo.opcoes.length >= limites.maxOpcoes}
              style={{ alignSelf: 'flex-start' }}
            >
              Adicionar opção
            </Button>
          </Stack>
        ) : null}

        <TextInput
          label="Texto de ajuda"
          description={campo.padrao.trim() && mostraPadrao ? 'Aparece sob o campo no app e completa a mensagem de formato inválido' : 'Aparece sob o campo no app'}
          placeholder="Como aparece na carteirinha"
          {...form.getInputProps(`${p}.ajuda`)}
        />
      </Stack>
    </Paper>
  );
}

import { Badge, Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { CampoFormulario } from '../../api/types.ts';
import { mascaraPadrao, minMaxEhTamanho, rotuloDoTipo } from './regras.ts';

function regras(campo: CampoFormulario): string[] {
  const lista: string[] = [];
  if (campo.confirma) lista.push(`igual a ${campo.confirma} (conferido pela Ponte, não enviado à operadora)`);
  const tamanho = minMaxEhTamanho(campo.tipo);
  if (campo.min !== undefined && campo.max !== undefined) lista.push(tamanho ? `${campo.min} a ${campo.max} caracteres` : `de ${campo.min} a ${campo.max}`);
  else if (campo.min !== undefined) lista.push(tamanho ? `mínimo ${campo.min} caracteres` : `mínimo ${campo.min}`);
  else if (campo.max !== undefined) lista.push(tamanho ? `máximo ${campo.max} caracteres` : `máximo ${campo.max}`);
  const mascara = campo.mascara ?? mascaraPadrao[campo.tipo];
  if (mascara) lista.push(`máscara ${mascara}`);
  if (campo.opcoes) lista.push(`${campo.opcoes.length} ${campo.opcoes.length === 1 ? 'opção' : 'opções'}: ${campo.opcoes.map((o) => o.rotulo).join(', ')}`);
  return lista;
}

/** A form's fields, read-only: what a leitor sees, and the default forms. */
export function ResumoCampos({ campos }: { campos: readonly CampoFormulario[] }) {
  return (
    <Paper withBorder radius="md">
      <Table aria-label="Campos do formulário" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36}>#</Table.Th>
            <Table.Th>Campo</Table.Th>
            <Table.Th w={110}>Tipo</Table.Th>
            <Table.Th>Regras</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {campos.map((campo, index) => (
            <Table.Tr key={`${campo.nome}-${index}`}>
              <Table.Td valign="top">
                <Text size="sm" c="dimmed">
                  {index + 1}
                </Text>
              </Table.Td>
              <Table.Td valign="top">
                <Stack gap={2}>
                  <Group gap={6}>
                    <Text size="sm" fw={600}>
                      {campo.rotulo}
                    </Text>
                    {campo.obrigatorio ? null : (
                      <Badge size="xs" variant="light" color="gray">
                        opcional
                      </Badge>
                    )}
                  </Group>
                  <Code fz="xs" style={{ alignSelf: 'flex-start' }}>
                    {campo.nome}
                  </Code>
                  {campo.ajuda ? (
                    <Text size="xs" c="dimmed">
                      {campo.ajuda}
                    </Text>
                  ) : null}
                </Stack>
              </Table.Td>
              <Table.Td valign="top">
                <Text size="sm">{rotuloDoTipo[campo.tipo]}</Text>
              </Table.Td>
              <Table.Td valign="top">
                <Stack gap={2}>
                  {regras(campo).map((r) => (
                    <Text key={r} size="sm">
                      {r}
                    </Text>
                  ))}
                  {campo.padrao ? (
                    <Text size="sm">
                      padrão <Code>{campo.padrao}</Code>
                    </Text>
                  ) : null}
                  {regras(campo).length === 0 && !campo.padrao ? (
                    <Text size="sm" c="dimmed">
                      validação do tipo
                    </Text>
                  ) : null}
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

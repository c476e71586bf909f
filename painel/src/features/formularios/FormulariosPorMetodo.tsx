import { ActionIcon, Badge, Button, Group, Menu, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconCopy, IconDots, IconEye, IconPencil, IconPlus, IconStar, IconTrash } from '@tabler/icons-react';
import type { Formulario, ListaFormularios, FinalidadeFormulario } from '../../api/types.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';

export type AcoesDaLista = {
  abrir: (id: string) => void;
  novo: (finalidade: FinalidadeFormulario) => void;
  copiar: (id: string) => void;
  verPadrao: (finalidade: FinalidadeFormulario) => void;
  personalizar: (finalidade: FinalidadeFormulario) => void;
  usar: (finalidade: FinalidadeFormulario, formulario: Formulario | null) => void;
  remover: (formulario: Formulario) => void;
};

const resumo = (campos: { rotulo: string }[]) => campos.map((c) => c.rotulo).join(' · ');

function EmUso() {
  return (
    <Badge color="teal" variant="light" leftSection={<IconStar size={12} />}>
      Em uso
    </Badge>
  );
}

function BotaoUsar({ carregando, onClick, rotulo }: { carregando: boolean; onClick: () => void; rotulo: string }) {
  return (
    <Tooltip label={rotulo} multiline w={240}>
      <Button size="compact-xs" variant="subtle" color="teal" loading={carregando} onClick={onClick} aria-label={rotulo}>
        Usar
      </Button>
    </Tooltip>
  );
}

/**
 * The instância's forms grouped by the method they feed, with the one the app uses marked.
 * `usando`: the form being chosen right now (`null` with `usandoPadrao`: the default).
 */
export function FormulariosPorMetodo({
  lista,
  podeEditar,
  acoes,
  usando,
  usandoPadrao,
}: {
  lista: ListaFormularios;
  podeEditar: boolean;
  acoes: AcoesDaLista;
  usando: string | null;
  usandoPadrao: boolean;
}) {
  return (
    <Stack gap="lg">
      {lista.finalidades.map((finalidade) => {
        const proprios = lista.formularios.filter((f) => f.finalidade === finalidade.finalidade);
        const emUso = proprios.find((f) => f.id === finalidade.formularioId);
        const metodo = finalidade.finalidade;
        return (
          <Paper key={metodo} withBorder radius="md" component="section" aria-labelledby={`metodo-${metodo}`}>
            <Group justify="space-between" px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
              <Stack gap={0}>
                <Title order={4} id={`metodo-${metodo}`}>
                  {finalidade.metodo}
                </Title>
                <Text size="sm" c="dimmed">
                  O app usa {emUso ? <b>{emUso.nome}</b> : 'o formulário padrão'}
                </Text>
              </Stack>
              {podeEditar ? (
                <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => acoes.novo(metodo)} aria-label={`Novo formulário para ${finalidade.metodo}`}>
                  Novo formulário
                </Button>
              ) : null}
            </Group>
            <Table highlightOnHover layout="fixed" aria-label={`Formulários de ${finalidade.metodo}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w="30%">Formulário</Table.Th>
                  <Table.Th>Campos</Table.Th>
                  <Table.Th w={130}>Atualizado</Table.Th>
                  <Table.Th w={110}>No app</Table.Th>
                  <Table.Th w={160}>
                    <span className="sr-only">Ações</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      Formulário padrão
                    </Text>
                    <Text size="xs" c="dimmed">
                      Derivado do contrato do método
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {resumo(finalidade.padrao.campos)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {finalidade.usaPadrao ? (
                      <EmUso />
                    ) : podeEditar ? (
                      <BotaoUsar carregando={usando === null && usandoPadrao} onClick={() => acoes.usar(metodo, null)} rotulo={`Voltar a usar o formulário padrão em ${finalidade.metodo}`} />
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <Button size="xs" variant="default" leftSection={<IconEye size={14} />} onClick={() => acoes.verPadrao(metodo)} aria-label={`Ver o formulário padrão de ${finalidade.metodo}`}>
                        Ver
                      </Button>
                      {podeEditar ? (
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Mais ações do formulário padrão de ${finalidade.metodo}`}>
                              <IconDots size={18} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => acoes.personalizar(metodo)}>
                              Personalizar (criar uma cópia)
                            </Menu.Item>
                            <Menu.Item leftSection={<IconStar size={14} />} disabled={finalidade.usaPadrao} onClick={() => acoes.usar(metodo, null)}>
                              Voltar a usar o padrão
                            </Menu.Item>
                          </Menu.Dropdown>
                        </Menu>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
                {proprios.map((formulario) => (
                  <Table.Tr key={formulario.id}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {formulario.nome}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {formulario.campos.length} {formulario.campos.length === 1 ? 'campo' : 'campos'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" lineClamp={2}>
                        {resumo(formulario.campos)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={formatDateTime(formulario.atualizadoEm)}>
                        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                          {formatRelative(formulario.atualizadoEm)}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      {formulario.emUso ? (
                        <EmUso />
                      ) : podeEditar ? (
                        <BotaoUsar carregando={usando === formulario.id} onClick={() => acoes.usar(metodo, formulario)} rotulo={`Usar "${formulario.nome}" em ${finalidade.metodo}`} />
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          leftSection={podeEditar ? <IconPencil size={14} /> : <IconEye size={14} />}
                          onClick={() => acoes.abrir(formulario.id)}
                          aria-label={`${podeEditar ? 'Editar' : 'Ver'} o formulário ${formulario.nome}`}
                        >
                          {podeEditar ? 'Editar' : 'Ver'}
                        </Button>
                        {podeEditar ? (
                          <Menu position="bottom-end" withinPortal>
                            <Menu.Target>
                              <ActionIcon variant="subtle" color="gray" aria-label={`Mais ações do formulário ${formulario.nome}`}>
                                <IconDots size={18} />
                              </ActionIcon>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Item leftSection={<IconStar size={14} />} disabled={formulario.emUso} onClick={() => acoes.usar(metodo, formulario)}>
                                Usar este formulário em {finalidade.metodo}
                              </Menu.Item>
                              <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => acoes.copiar(formulario.id)}>
                                Duplicar
                              </Menu.Item>
                              <Menu.Divider />
                              {formulario.emUso ? (
                                <Tooltip label="Em uso pelo app: escolha outro formulário (ou o padrão) antes de remover" multiline w={240} position="left">
                                  <div>
                                    <Menu.Item color="red" leftSection={<IconTrash size={14} />} disabled>
                                      Remover
                                    </Menu.Item>
                                  </div>
                                </Tooltip>
                              ) : (
                                <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => acoes.remover(formulario)}>
                                  Remover
                                </Menu.Item>
                              )}
                            </Menu.Dropdown>
                          </Menu>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {proprios.length === 0 ? (
              <Group justify="space-between" px="md" py="sm" className="painel-superficie" style={{ borderTop: '1px solid var(--mantine-color-default-border)', borderRadius: '0 0 var(--mantine-radius-md) var(--mantine-radius-md)' }}>
                <Text size="sm" c="dimmed">
                  Nenhum formulário próprio para {finalidade.metodo}: o app usa o padrão.
                </Text>
                {podeEditar ? (
                  <Button size="xs" variant="subtle" leftSection={<IconCopy size={14} />} onClick={() => acoes.personalizar(metodo)}>
                    Personalizar o padrão
                  </Button>
                ) : null}
              </Group>
            ) : null}
          </Paper>
        );
      })}
    </Stack>
  );
}

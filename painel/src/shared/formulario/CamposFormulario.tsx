import { NumberInput, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import type { CampoFormulario } from '../../api/types.ts';
import { aplicarMascara, exemploDeMascara } from './mascara.ts';

/**
 * The fields of a Formbuilder definition, as the beneficiary sees them. One component for the
 * painel's live preview (Formulários) and the demo app's screens (login, recuperar senha, trocar
 * senha), so what an operator designs is exactly what the app shows. Presentational: the caller
 * keeps the values and passes the errors (the server validates submissions with the same definition).
 */
export type ValoresFormulario = Record<string, string>;

type Props = {
  campos: readonly CampoFormulario[];
  valores: ValoresFormulario;
  erros?: Readonly<Record<string, string | undefined>>;
  onChange: (nome: string, valor: string) => void;
  disabled?: boolean;
  /** Prefix for input ids, so two previews on one page keep their labels apart. */
  idPrefix?: string;
};

const placeholders: Partial<Record<CampoFormulario['tipo'], string>> = {
  cpf: '000.000.000-00',
  data: 'DD/MM/AAAA',
  email: 'nome@exemplo.com',
  telefone: '(11) 99999-8888',
};

/** The mask a field gets when its definition names none. */
export const mascarasPadrao: Partial<Record<CampoFormulario['tipo'], string>> = {
  cpf: '999.999.999-99',
  data: '99/99/9999',
  telefone: '(99) 99999-9999',
};

const autoCompletes: Partial<Record<CampoFormulario['tipo'], string>> = {
  email: 'email',
  telefone: 'tel',
  senha: 'current-password',
};

/**
 * The select's options. Mantine's Select throws on a repeated value, which a definition still being
 * edited (the painel's preview) can have: the first option with a value wins, blank values are skipped.
 */
function opcoesDoSelect(campo: CampoFormulario): { value: string; label: string }[] {
  const vistos = new Set<string>();
  const data: { value: string; label: string }[] = [];
  for (const opcao of campo.opcoes ?? []) {
    if (opcao.valor === '' || vistos.has(opcao.valor)) continue;
    vistos.add(opcao.valor);
    data.push({ value: opcao.valor, label: opcao.rotulo || opcao.valor });
  }
  return data;
}

function Campo({
  campo,
  valor,
  erro,
  onChange,
  disabled,
  id,
  digitadoDuasVezes,
}: {
  campo: CampoFormulario;
  valor: string;
  erro: string | undefined;
  onChange: (valor: string) => void;
  disabled: boolean;
  id: string;
  /** In a confirmation pair (confirma): a senha typed twice is a new one, for the browser's password manager. */
  digitadoDuasVezes: boolean;
}) {
  const common = {
    id,
    label: campo.rotulo,
    description: campo.ajuda,
    required: campo.obrigatorio,
    error: erro,
    disabled,
    name: campo.nome,
  };
  if (campo.tipo === 'senha') {
    return <PasswordInput {...common} value={valor} onChange={(e) => onChange(e.currentTarget.value)} autoComplete={digitadoDuasVezes ? 'new-password' : autoCompletes.senha} maxLength={campo.max} />;
  }
  if (campo.tipo === 'select') {
    return (
      <Select {...common} value={valor || null} onChange={(v) => onChange(v ?? '')} data={opcoesDoSelect(campo)} placeholder="Selecione" allowDeselect={!campo.obrigatorio} />
    );
  }
  if (campo.tipo === 'numero' && !campo.mascara) {
    return <NumberInput {...common} value={valor} onChange={(v) => onChange(String(v))} min={campo.min} max={campo.max} decimalSeparator="," allowDecimal hideControls />;
  }
  const mascara = campo.mascara ?? mascarasPadrao[campo.tipo];
  return (
    <TextInput
      {...common}
      type={campo.tipo === 'email' ? 'email' : 'text'}
      value={valor}
      onChange={(e) => onChange(mascara ? aplicarMascara(e.currentTarget.value, mascara) : e.currentTarget.value)}
      placeholder={mascara && !placeholders[campo.tipo] ? exemploDeMascara(mascara) : placeholders[campo.tipo]}
      inputMode={campo.tipo === 'cpf' || campo.tipo === 'telefone' || campo.tipo === 'numero' || campo.tipo === 'data' ? 'numeric' : undefined}
      autoComplete={autoCompletes[campo.tipo]}
      maxLength={campo.tipo === 'text' || campo.tipo === 'email' ? campo.max : undefined}
    />
  );
}

export function CamposFormulario({ campos, valores, erros = {}, onChange, disabled = false, idPrefix = 'campo' }: Props) {
  const emPares = new Set(campos.flatMap((c) => (c.confirma ? [c.nome, c.confirma] : [])));
  return (
    <Stack gap="sm">
      {campos.map((campo) => (
        <Campo
          key={campo.nome}
          id={`${idPrefix}-${campo.nome}`}
          campo={campo}
          valor={valores[campo.nome] ?? ''}
          erro={erros[campo.nome]}
          onChange={(valor) => onChange(campo.nome, valor)}
          disabled={disabled}
          digitadoDuasVezes={emPares.has(campo.nome)}
        />
      ))}
    </Stack>
  );
}

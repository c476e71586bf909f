import { useEffect, useMemo, useState } from 'react';
import { errosDeCampo, type DetalheDeErro } from '../api.ts';

/**
 * An API error's per-field messages for a Formbuilder form, shown beside the fields until the
 * person edits that field; `restantes` are the details no field of the form owns.
 */
export function useErrosDoFormulario(error: unknown, campos: readonly { nome: string }[]): {
  porCampo: Record<string, string>;
  restantes: DetalheDeErro[];
  /** The error named at least one field of the form (so the fields show it, not an alert). */
  deCampo: boolean;
  limpar: (nome: string) => void;
} {
  const nomes = campos.map((c) => c.nome).join('\u0000');
  const split = useMemo(() => errosDeCampo(error, nomes.split('\u0000')), [error, nomes]);
  const [porCampo, setPorCampo] = useState<Record<string, string>>({});
  useEffect(() => setPorCampo(split.campos), [split]);
  return {
    porCampo,
    restantes: split.restantes,
    deCampo: Object.keys(split.campos).length > 0,
    limpar: (nome) =>
      setPorCampo((atual) => {
        if (!(nome in atual)) return atual;
        const { [nome]: _removido, ...resto } = atual;
        return resto;
      }),
  };
}

import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

type Valores<T extends Record<string, string>> = { [K in keyof T]: string };

/**
 * Screen state kept in the address's query string (filters of logs and auditoria, a page number),
 * so a reload, the back button and a shared link show the same thing. `padroes` names the keys and
 * their default values; a value equal to its default is left out of the address.
 *
 *   const [filtros, setFiltros] = useQueryState({ operacao: '', periodo: '24h', pagina: '1' });
 *   setFiltros({ operacao: 'login', pagina: '1' });   // merges; replaces the history entry
 *   setFiltros({ periodo: '7d' }, { push: true });    // a new history entry (back returns)
 *
 * Keys not in `padroes` (another screen's state in the same address) are kept as they are.
 */
export function useQueryState<T extends Record<string, string>>(padroes: T): [Valores<T>, (mudancas: Partial<Valores<T>>, opcoes?: { push?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const chave = JSON.stringify(padroes);
  const valores = useMemo(() => {
    const lidos = {} as Valores<T>;
    for (const [nome, padrao] of Object.entries(padroes)) (lidos as Record<string, string>)[nome] = params.get(nome) ?? padrao;
    return lidos;
  }, [params, chave]);

  const set = useCallback(
    (mudancas: Partial<Valores<T>>, opcoes?: { push?: boolean }) =>
      setParams(
        (atuais) => {
          const proximos = new URLSearchParams(atuais);
          for (const [nome, valor] of Object.entries(mudancas)) {
            if (valor === undefined || valor === '' || valor === padroes[nome]) proximos.delete(nome);
            else proximos.set(nome, valor as string);
          }
          return proximos;
        },
        { replace: !opcoes?.push },
      ),
    [setParams, chave],
  );
  return [valores, set];
}

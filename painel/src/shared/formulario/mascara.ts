/**
 * Display masks of the Formbuilder (forms.schemas.ts `mascara`): `9` a digit, `A` a letter, `*` a
 * letter or digit; anything else is a literal the mask inserts. What the user typed that does not
 * fit is dropped; literals are added only before a character that follows them.
 */
const slot: Record<string, RegExp> = { '9': /\d/, A: /\p{L}/u, '*': /[\p{L}\d]/u };

export function aplicarMascara(digitado: string, mascara: string): string {
  const entrada = [...digitado].filter((c) => /[\p{L}\d]/u.test(c));
  let saida = '';
  let literais = '';
  let i = 0;
  for (const simbolo of mascara) {
    if (i >= entrada.length) break;
    const regra = slot[simbolo];
    if (!regra) {
      literais += simbolo;
      continue;
    }
    // Skip typed characters that cannot fill this slot.
    while (i < entrada.length && !regra.test(entrada[i] as string)) i++;
    if (i >= entrada.length) break;
    saida += literais + entrada[i];
    literais = '';
    i++;
  }
  return saida;
}

/** The value without the mask's literals: what a form field holds for the server (which also normalises). */
export function semMascara(valor: string): string {
  return valor.replace(/[^\p{L}\d]/gu, '');
}

/**
 * Display masks of the Formbuilder (forms.schemas.ts `mascara`): `9` a digit, `A` a letter, `*` a
 * letter or digit; anything else is a literal the mask inserts. What the user typed that does not
 * fit is dropped; literals are added only before a character that follows them, so erasing the
 * last character never leaves a dangling "." or "-".
 *
 * The input is applied on every keystroke to the whole value, which already holds the literals of
 * the previous pass: a literal found where the mask puts it is taken as that literal, not as
 * something typed. A letter or digit literal (the "55" of "+55 (99) 99999-9999") counts as already
 * there only when the literals before it in the same run were there too; otherwise a "5" typed in
 * an empty field would be swallowed by the mask.
 */
const slot: Record<string, RegExp> = { '9': /\d/, A: /\p{L}/u, '*': /[\p{L}\d]/u };
const alfanumerico = /[\p{L}\d]/u;

export function aplicarMascara(digitado: string, mascara: string): string {
  const entrada = [...digitado];
  const simbolos = [...mascara];
  let saida = '';
  let literais = '';
  // Whether every literal of the current run so far was found in the input.
  let literaisPresentes = true;
  let i = 0;
  for (let s = 0; s < simbolos.length; s++) {
    if (i >= entrada.length) break;
    const simbolo = simbolos[s] as string;
    const regra = slot[simbolo];
    if (!regra) {
      const presente: boolean = entrada[i] === simbolo && (!alfanumerico.test(simbolo) || literaisPresentes);
      if (presente) i++;
      literaisPresentes &&= presente;
      literais += simbolo;
      continue;
    }
    // Skip typed characters that cannot fill this slot.
    while (i < entrada.length && !regra.test(entrada[i] as string)) i++;
    if (i >= entrada.length) break;
    saida += literais + entrada[i];
    literais = '';
    literaisPresentes = true;
    i++;
  }
  return saida;
}

/** The value without the mask's literals: what a form field holds for the server (which also normalises). */
export function semMascara(valor: string): string {
  return valor.replace(/[^\p{L}\d]/gu, '');
}

/** What an empty masked field shows: the mask with `_` where the user types. */
export function exemploDeMascara(mascara: string): string {
  return [...mascara].map((c) => (slot[c] ? '_' : c)).join('');
}

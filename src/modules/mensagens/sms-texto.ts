/**
 * SMS text rules with no dependencies: the server applies them before every send and on save,
 * and the painel's "Envio de mensagens" screen imports the same functions for its live counter.
 *
 * A single SMS carries 160 characters of the GSM 03.38 alphabet (GSM-7); one character outside
 * it turns the whole message into UCS-2, 70 characters a segment, and longer texts are split
 * into several billed segments that some handsets reassemble badly. Recovery codes must arrive in
 * one segment, so the text is first folded into GSM-7 (accents GSM-7 lacks, like "ó" and "ã",
 * lose them: "código" → "codigo") and then counted.
 */

/** GSM 03.38 basic character set (one septet each). */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** GSM 03.38 extension table: an escape septet plus one, so two each. */
const GSM7_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM7_BASIC);
const extended = new Set(GSM7_EXTENDED);

/** Characters per segment: one segment, and each part of a concatenated message. */
export const SMS_LIMITS = { gsm7Single: 160, gsm7Part: 153, ucs2Single: 70, ucs2Part: 67 } as const;

/** Typographic characters people paste from editors, folded to their GSM-7 look-alikes. */
const lookAlikes: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201C': '"', '\u201D': '"', '\u2013': '-', '\u2014': '-', '\u2026': '...', '\u00A0': ' ', ª: 'a', º: 'o' };

/**
 * `text` folded into GSM-7 where a plain look-alike exists: accents GSM-7 does not have are
 * dropped ("ção" → "cao"), those it has are kept ("é", "à", "Ç"). Anything else stays as it is
 * (and makes the message UCS-2).
 */
export function paraGsm7(text: string): string {
  let out = '';
  for (const char of text) {
    if (basic.has(char) || extended.has(char)) out += char;
    else if (lookAlikes[char] !== undefined) out += lookAlikes[char];
    else {
      const stripped = char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += stripped !== char && [...stripped].every((c) => basic.has(c)) ? stripped : char;
    }
  }
  return out;
}

export type ContagemSms = {
  /** The text as it will be sent (folded into GSM-7). */
  texto: string;
  /** `gsm7` when every character is GSM-7, else `ucs2`. */
  codificacao: 'gsm7' | 'ucs2';
  /** Units counted against the limit: GSM-7 septets (extension characters count two) or UCS-2 code units. */
  caracteres: number;
  /** The limit of one segment in this encoding (160 or 70). */
  limite: number;
  segmentos: number;
};

/** How `text` will travel once folded: encoding, length and number of segments. */
export function contarSms(text: string): ContagemSms {
  const texto = paraGsm7(text);
  const chars = [...texto];
  const gsm7 = chars.every((c) => basic.has(c) || extended.has(c));
  const caracteres = gsm7 ? chars.reduce((n, c) => n + (extended.has(c) ? 2 : 1), 0) : texto.length;
  const limite = gsm7 ? SMS_LIMITS.gsm7Single : SMS_LIMITS.ucs2Single;
  const part = gsm7 ? SMS_LIMITS.gsm7Part : SMS_LIMITS.ucs2Part;
  const segmentos = caracteres === 0 ? 0 : caracteres <= limite ? 1 : Math.ceil(caracteres / part);
  return { texto, codificacao: gsm7 ? 'gsm7' : 'ucs2', caracteres, limite, segmentos };
}

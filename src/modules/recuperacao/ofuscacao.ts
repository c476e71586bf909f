/**
 * How a contact reaches the app during password recovery: only obfuscated (docs/ESPECIFICACAO.md §5). The
 * operator's own `ofuscado` wins when it is usable; otherwise Ponte's standard applies.
 */

export type TipoContato = 'email' | 'celular';

const MASK = '***';
const MAX_OFUSCADO_LENGTH = 100;

/**
 * The suffix kept of an e-mail domain: the last label, or the last two when they look like a
 * country's second level (`com.br`, `co.uk`), so `empresa.com.br` shows `.com.br`, not `.br`.
 */
function domainSuffix(labels: string[]): string {
  const last = labels.at(-1) ?? '';
  const secondLast = labels.at(-2);
  if (labels.length >= 3 && last.length === 2 && secondLast !== undefined && secondLast.length <= 3) return `.${secondLast}.${last}`;
  return labels.length >= 2 ? `.${last}` : '';
}

/**
 * `benef@gmail.com` → `b***f@g***.com`: first and last letter of the local part, the domain's
 * first letter and its suffix. The mask has a fixed width so it does not tell the length.
 */
export function obfuscateEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : email;
  const domain = at > 0 ? email.slice(at + 1).toLowerCase() : '';
  const shownLocal = local.length <= 1 ? `${local}${MASK}` : `${local[0]}${MASK}${local.at(-1)}`;
  if (!domain) return shownLocal;
  const labels = domain.split('.').filter((label) => label.length > 0);
  return `${shownLocal}@${domain[0]}${MASK}${domainSuffix(labels)}`;
}

/**
 * `27997157620` → `(27) *****-**20`: area code and the last two digits. A leading Brazilian
 * country code (55) is dropped; numbers of other shapes keep only their first and last two digits.
 */
export function obfuscatePhone(phone: string): string {
  let digits = phone.replace(/\D/g, '');
  if (digits.startsWith('55') && (digits.length === 12 || digits.length === 13)) digits = digits.slice(2);
  const last2 = digits.slice(-2);
  if (digits.length === 11) return `(${digits.slice(0, 2)}) *****-**${last2}`;
  if (digits.length === 10) return `(${digits.slice(0, 2)}) ****-**${last2}`;
  if (digits.length < 6) return '*'.repeat(Math.max(4, digits.length));
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${last2}`;
}

/** What identifies a contact for comparison: e-mails case-insensitively, phones by their digits. */
export function normalizedContact(tipo: TipoContato, contato: string): string {
  return tipo === 'email' ? contato.trim().toLowerCase() : contato.replace(/\D/g, '');
}

/**
 * The form the app sees. The operator's `ofuscado` is used when present and non-blank, unless
 * it would reveal the contact itself (an operator that "obfuscates" by echoing the address);
 * then, as when it is missing, Ponte's standard applies.
 */
export function contactForApp(tipo: TipoContato, contato: string, ofuscado: string | null | undefined): string {
  const own = tipo === 'email' ? obfuscateEmail(contato.trim()) : obfuscatePhone(contato);
  // Text only: no control characters, bounded, so an operator cannot smuggle markup or noise.
  const given = typeof ofuscado === 'string' ? ofuscado.replace(/[\u0000-\u001f\u007f<>]/g, '').trim() : '';
  if (given === '' || given.length > MAX_OFUSCADO_LENGTH) return own;
  const revealed = normalizedContact(tipo, contato);
  const seen = tipo === 'email' ? given.toLowerCase() : given.replace(/\D/g, '');
  if (revealed.length > 0 && seen.includes(revealed)) return own;
  return given;
}

import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * A phone number in E.164 (`+5511990000001`), or undefined when it is not a valid number.
 * Numbers without a country code are Brazilian (the operators' contacts usually come as
 * `11990000001` or `(11) 99000-0001`); a leading trunk `0` is accepted.
 */
export function paraE164(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > 40) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, 'BR');
  return parsed?.isValid() ? parsed.number : undefined;
}

/** `+55 11 9****-**01`: country and area, the last two digits; what the central de logs keeps of a number. */
export function mascararTelefone(e164: string): string {
  const digits = e164.replace(/\D/g, '');
  if (e164.startsWith('+55') && digits.length >= 12) return `+55 ${digits.slice(2, 4)} ${digits[4]}****-**${digits.slice(-2)}`;
  return `+${digits.slice(0, Math.min(2, digits.length - 2))}******${digits.slice(-2)}`;
}

/** `a***@e***.com`: first letter of the mailbox and of the domain, and the top-level domain. */
export function mascararEmail(email: string): string {
  const [local = '', domain = ''] = email.trim().toLowerCase().split('@');
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`;
}

import { describe, expect, it } from 'vitest';
import { contactForApp, obfuscateEmail, obfuscatePhone } from './ofuscacao.ts';

describe("Ponte's standard obfuscation (docs/ESPECIFICACAO.md §5)", () => {
  it.each([
    ['benef@gmail.com', 'b***f@g***.com'],
    ['Ana.Moreira@Example.COM', 'A***a@e***.com'],
    ['joao@empresa.com.br', 'j***o@e***.com.br'],
    ['x@uol.com.br', 'x***@u***.com.br'],
    ['ab@mail.co.uk', 'a***b@m***.co.uk'],
    ['contato@sub.dominio.org', 'c***o@s***.org'],
  ])('e-mail %s → %s (first and last letter of the local part, first letter of the domain, its suffix)', (email, expected) => {
    expect(obfuscateEmail(email)).toBe(expected);
  });

  it.each([
    ['27997157620', '(27) *****-**20'],
    ['(27) 99715-7620', '(27) *****-**20'],
    ['+55 27 99715-7620', '(27) *****-**20'],
    ['2733157620', '(27) ****-**20'],
    ['123456789', '12*****89'],
    ['123', '****'],
  ])('phone %s → %s (area code and the last two digits)', (phone, expected) => {
    expect(obfuscatePhone(phone)).toBe(expected);
  });

  it("keeps the operator's ofuscado when it is given and hides the contact", () => {
    expect(contactForApp('email', 'benef@gmail.com', 'b****f@g***.com')).toBe('b****f@g***.com');
    expect(contactForApp('celular', '27997157620', '279***76**')).toBe('279***76**');
  });

  it("uses Ponte's standard when the operator's ofuscado is missing, blank or too long", () => {
    expect(contactForApp('email', 'benef@outlook.com', null)).toBe('b***f@o***.com');
    expect(contactForApp('email', 'benef@outlook.com', undefined)).toBe('b***f@o***.com');
    expect(contactForApp('email', 'benef@outlook.com', '   ')).toBe('b***f@o***.com');
    expect(contactForApp('celular', '27997157620', '*'.repeat(101))).toBe('(27) *****-**20');
  });

  it("never passes on an operator's ofuscado that reveals the contact", () => {
    expect(contactForApp('email', 'benef@gmail.com', 'BENEF@GMAIL.COM')).toBe('b***f@g***.com');
    expect(contactForApp('email', 'benef@gmail.com', 'e-mail: benef@gmail.com')).toBe('b***f@g***.com');
    expect(contactForApp('celular', '27997157620', '(27) 99715-7620')).toBe('(27) *****-**20');
  });

  it("strips markup and control characters from the operator's ofuscado", () => {
    expect(contactForApp('email', 'benef@gmail.com', '<b>b***f</b>@g***.com\n')).toBe('bb***f/b@g***.com');
  });
});

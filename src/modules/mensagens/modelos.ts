import { contarSms, type ContagemSms } from './sms-texto.ts';

/**
 * The recovery-code messages and their placeholders, with no dependencies (the painel imports
 * this file for its previews). `{{app}}` is the app's name (the cliente's), `{{codigo}}` the six
 * digits and `{{validade}}` the minutes the code lives.
 */
export type Modelos = { sms: string; emailAssunto: string; emailTexto: string };

export const modelosPadrao: Modelos = {
  sms: '{{app}}: seu codigo para recuperar a senha e {{codigo}}. Vale por {{validade}} minutos. Nao o compartilhe com ninguem.',
  emailAssunto: '{{app}}: código para recuperar sua senha',
  emailTexto:
    'Olá!\n\nSeu código para recuperar a senha no aplicativo {{app}} é:\n\n{{codigo}}\n\nEle vale por {{validade}} minutos. Se você não pediu este código, ignore este e-mail: sua senha continua a mesma.\n',
};

export const placeholders = ['app', 'codigo', 'validade'] as const;
export type Variaveis = Record<(typeof placeholders)[number], string>;

/** Limits of what a template may hold (characters). */
export const modeloLimits = { sms: 480, emailAssunto: 200, emailTexto: 5000 } as const;

/** Values for previews and for the length check on save: the longest a code and its validity can be. */
export const exemploVariaveis = (app: string): Variaveis => ({ app, codigo: '123456', validade: '10' });

/** `template` with each `{{name}}` replaced; unknown names stay as written. */
export function preencher(template: string, vars: Variaveis): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in vars ? vars[name as keyof Variaveis] : whole));
}

/** Placeholders in `template` that are not known (a typo like `{{codgo}}` would go out as written). */
export function placeholdersDesconhecidos(template: string): string[] {
  return [...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).filter((name) => !(placeholders as readonly string[]).includes(name));
}

/** The SMS as it would go out for the app named `app`, counted. */
export function previaSms(template: string, app: string): ContagemSms {
  return contarSms(preencher(template, exemploVariaveis(app)));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The HTML body of an e-mail, from its text template: paragraphs from blank lines, the code set
 * apart in large type. Values are escaped, so an app name can never inject markup.
 */
export function emailHtml(template: string, vars: Variaveis): string {
  const marker = '\u0000codigo\u0000';
  const text = preencher(template, { ...vars, codigo: marker });
  const paragraphs = text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => {
      const html = escapeHtml(p).replace(/\n/g, '<br>');
      return html.trim() === marker
        ? `<p style="font-size:28px;font-weight:bold;letter-spacing:4px;margin:16px 0">${escapeHtml(vars.codigo)}</p>`
        : `<p style="margin:0 0 12px">${html.replaceAll(marker, `<strong>${escapeHtml(vars.codigo)}</strong>`)}</p>`;
    });
  return `<!doctype html><html lang="pt-BR"><body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;color:#1a1b1e">${paragraphs.join('')}</body></html>`;
}

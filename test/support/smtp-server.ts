import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the stand-in received it: the envelope, who authenticated, and the raw RFC 5322 text. */
export type ReceivedMail = { from: string; to: string[]; user: unknown; raw: string };

/** A header of a raw message (`Subject`), unfolded and with its RFC 2047 encoded words (`=?UTF-8?Q?…?=`) decoded. */
export function decodedHeader(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (line === undefined) return undefined;
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) => {
      const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
      return bytes.toString(charset.toLowerCase() === 'utf-8' ? 'utf8' : 'latin1');
    });
}

/**
 * A real SMTP server on loopback (`smtp-server`) that accepts `user`/`pass` and keeps every
 * message: the stand-in for the platform's or a cliente's mail server. Plain SMTP (no STARTTLS
 * offered), so AUTH over the clear channel is allowed. `refuseNext(n, code)` makes it answer the
 * next `n` messages' data with `code` (4xx: try later; 5xx: refused), keeping them in `refused`.
 */
export async function startSmtpStandIn(credentials: { user: string; pass: string }) {
  const received: ReceivedMail[] = [];
  const refused: ReceivedMail[] = [];
  let refusals = { remaining: 0, code: 0 };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const mail = { from, to: session.envelope.rcptTo.map((r) => r.address), user: session.user, raw: Buffer.concat(chunks).toString('utf8') };
        if (refusals.remaining > 0) {
          refusals.remaining -= 1;
          refused.push(mail);
          const text = refusals.code < 500 ? 'Servico temporariamente indisponivel, tente mais tarde' : 'Mensagem recusada';
          return callback(Object.assign(new Error(text), { responseCode: refusals.code }));
        }
        received.push(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    /** `smtp://user:pass@127.0.0.1:<port>`, as PONTE_SMTP_URL or a cliente's own server takes it. */
    url: `smtp://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@127.0.0.1:${port}`,
    received,
    refused,
    refuseNext(count: number, code: number) {
      refusals = { remaining: count, code };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the stand-in received it: the envelope, who authenticated, and the raw RFC 5322 text. */
export type ReceivedMail = { from: string; to: string[]; user: unknown; raw: string };

/**
 * A real SMTP server on loopback (`smtp-server`) that accepts `user`/`pass` and keeps every
 * message: the stand-in for the platform's or a cliente's mail server. Plain SMTP (no STARTTLS
 * offered), so AUTH over the clear channel is allowed.
 */
export async function startSmtpStandIn(credentials: { user: string; pass: string }) {
  const received: ReceivedMail[] = [];
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
        received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), user: session.user, raw: Buffer.concat(chunks).toString('utf8') });
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

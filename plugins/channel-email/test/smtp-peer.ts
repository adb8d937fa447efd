// A loopback SMTP relay built on smtp-server: it stores each message once per Message-ID, counts
// repeats, and can be told to answer 4xx, refuse a domain with 5xx, go down and come back.
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  messageId: string;
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpPeer {
  port: number;
  received: ReceivedMail[];
  duplicates: number;
  /** The next `count` messages are answered `451` after DATA. */
  failNext(count: number): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** The value of one header of a raw message, with folded lines joined. */
export function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded
    .split(/\r?\n/)
    .find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

export async function startSmtpPeer(options: { refusedDomain?: string } = {}): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let failures = 0;
  let port = 0;
  const refusedDomain = options.refusedDomain ?? 'closed.example';

  const makeServer = (): SMTPServer =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith(`@${refusedDomain}`))
          return callback(smtpError('5.1.1 mailbox unavailable', 550));
        callback();
      },
      onData(stream: SMTPServerDataStream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (failures > 0) {
            failures -= 1;
            return callback(smtpError('4.3.0 try again later', 451));
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          const messageId = headerOf(raw, 'Message-ID') ?? '';
          if (seen.has(messageId)) {
            duplicates += 1;
            return callback();
          }
          seen.add(messageId);
          const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
          received.push({
            messageId,
            from,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
          });
          callback();
        });
      },
    });

  let server = makeServer();
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server.server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = (): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

  await listen();
  return {
    get port() {
      return port;
    },
    received,
    get duplicates() {
      return duplicates;
    },
    failNext(count) {
      failures = count;
    },
    down: stop,
    async up() {
      server = makeServer();
      await listen();
    },
    close: stop,
  };
}

// Test support: a small SMTP server on loopback (RFC 5321: EHLO, AUTH PLAIN/LOGIN accepted as given,
// MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) that keeps every message it is sent, so a
// test can send real mail through Nodemailer's SMTP transport and read what went out.
import { createServer, type Server, type Socket } from 'node:net';

export interface SmtpSink {
  port: number;
  /** Each message's DATA (headers and body, CRLF line ends), in the order received. */
  messages: string[];
  close(): Promise<void>;
}

function session(socket: Socket, messages: string[]): void {
  let buffer = '';
  let data: string[] | null = null;
  let authLogin = 0;
  const say = (line: string) => socket.write(`${line}\r\n`);
  say('220 sink ESMTP');
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let eol = buffer.indexOf('\r\n'); eol !== -1; eol = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, eol);
      buffer = buffer.slice(eol + 2);
      if (data !== null) {
        if (line === '.') {
          messages.push(data.join('\r\n'));
          data = null;
          say('250 queued');
        } else data.push(line.startsWith('..') ? line.slice(1) : line);
        continue;
      }
      if (authLogin > 0) {
        // AUTH LOGIN: the user name, then the password, each base64 on its own line.
        authLogin--;
        say(authLogin > 0 ? '334 UGFzc3dvcmQ6' : '235 accepted');
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') socket.write('250-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
      else if (verb === 'HELO') say('250 sink');
      else if (verb === 'AUTH') {
        if (/^AUTH LOGIN/i.test(line)) {
          authLogin = 2;
          say('334 VXNlcm5hbWU6');
        } else say('235 accepted');
      } else if (verb === 'DATA') {
        data = [];
        say('354 end with .');
      } else if (verb === 'QUIT') {
        say('221 bye');
        socket.end();
      } else say('250 ok');
    }
  });
  socket.on('error', () => undefined);
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    session(socket, messages);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

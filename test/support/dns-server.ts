// A real DNS server on 127.0.0.1 (UDP, RFC 1035 wire format) answering TXT queries from a table, so
// code that resolves TXT records through node:dns runs against the real resolver in tests, offline.
// Names not in the table answer NXDOMAIN; other query types answer with no records.
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** TXT records by lower-case name; each record is its character-strings (each ≤ 255 bytes). */
export type TxtZone = Map<string, string[][]>;

export interface DnsServer {
  /** `127.0.0.1:<port>`, for `Resolver.setServers`. */
  address: string;
  zone: TxtZone;
  /** Every name asked, in order. */
  asked: string[];
  close(): Promise<void>;
}

const TXT = 16;

/** The question's name (labels) and where the question ends; null for a malformed query. */
function question(msg: Buffer): { name: string; end: number; type: number } | null {
  let i = 12;
  const labels: string[] = [];
  while (i < msg.length) {
    const len = msg[i] as number;
    if (len === 0) {
      if (i + 5 > msg.length) return null;
      return { name: labels.join('.').toLowerCase(), end: i + 5, type: msg.readUInt16BE(i + 1) };
    }
    if (len > 63) return null;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += 1 + len;
  }
  return null;
}

function answer(msg: Buffer, zone: TxtZone): Buffer | null {
  if (msg.length < 12) return null;
  const q = question(msg);
  if (!q) return null;
  const records = zone.get(q.name);
  const rrs = records && q.type === TXT ? records : [];
  const header = Buffer.alloc(12);
  msg.copy(header, 0, 0, 2); // id
  // QR, opcode 0, AA, RD copied; RA; rcode 3 (NXDOMAIN) for an unknown name.
  header.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100) | 0x0080 | (records ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(rrs.length, 6);
  const parts: Buffer[] = [header, msg.subarray(12, q.end)];
  for (const strings of rrs) {
    const rdata = Buffer.concat(strings.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])));
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // the question's name
    rr.writeUInt16BE(TXT, 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    parts.push(rr, rdata);
  }
  return Buffer.concat(parts);
}

export async function startDnsServer(zone: TxtZone = new Map()): Promise<DnsServer> {
  const socket: Socket = createSocket('udp4');
  const asked: string[] = [];
  socket.on('message', (msg, from) => {
    const q = question(msg);
    if (q) asked.push(q.name);
    const reply = answer(msg, zone);
    if (reply) socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    zone,
    asked,
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}

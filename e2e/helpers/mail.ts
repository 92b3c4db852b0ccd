// The server writes each e-mail as one .eml file in GATEHOUSE_MAIL_DIR (no SMTP configured).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { mailDir } from './env';

export interface Mail {
  file: string;
  headers: Record<string, string>;
  /** The decoded text of every part (text and HTML), for content assertions. */
  text: string;
}

function splitHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const body = end < 0 ? '' : normalized.slice(end + 2);
  const headers: Record<string, string> = {};
  let last = '';
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      headers[last] += ' ' + line.trim();
    } else {
      const colon = line.indexOf(':');
      if (colon > 0) {
        last = line.slice(0, colon).trim().toLowerCase();
        headers[last] = line.slice(colon + 1).trim();
      }
    }
  }
  return { headers, body };
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodePart(headers: Record<string, string>, body: string): string {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1)
      .filter((chunk) => !chunk.startsWith('--'))
      .map((chunk) => {
        const part = splitHeaders(chunk.replace(/^\n/, ''));
        return decodePart(part.headers, part.body);
      })
      .join('\n');
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

export function readMails(): Mail[] {
  const dir = mailDir();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => {
      const file = path.join(dir, name);
      const { headers, body } = splitHeaders(readFileSync(file, 'utf8'));
      return { file, headers, text: decodePart(headers, body) };
    });
}

/** The messages addressed (To) to `address`, compared case-insensitively. */
export function mailsTo(address: string): Mail[] {
  const wanted = address.toLowerCase();
  return readMails().filter((m) =>
    (m.headers['to'] ?? '')
      .toLowerCase()
      .split(/[\s,<>"]+/)
      .includes(wanted),
  );
}

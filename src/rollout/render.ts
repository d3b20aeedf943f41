/**
 * Renders a rollout message as Markdown, a self-contained HTML page, or an e-mail (RFC 5322 headers, a MIME
 * multipart/alternative body with text and HTML parts, UTF-8, quoted-printable free: base64 parts, RFC 2045/2047).
 */
import type { Message } from './messages.js';

export type MessageFormat = 'md' | 'html' | 'eml';

/** Markdown. */
export function toMarkdown(m: Message): string {
  const out = [`# ${m.subject}`, '', `To: ${m.to}`, ''];
  for (const s of m.sections) {
    out.push(`## ${s.heading}`, '');
    for (const p of s.paragraphs ?? []) out.push(p, '');
    for (const i of s.items ?? []) out.push(`- ${i}`);
    if (s.items?.length) out.push('');
    if (s.code) out.push('```', s.code.trimEnd(), '```', '');
  }
  return out.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** HTML. */
export function toHtml(m: Message): string {
  const body = m.sections
    .map((s) => {
      const parts = [`<h2>${escapeHtml(s.heading)}</h2>`];
      for (const p of s.paragraphs ?? []) parts.push(`<p>${inline(p)}</p>`);
      if (s.items?.length) parts.push(`<ul>${s.items.map((i) => `<li>${inline(i)}</li>`).join('')}</ul>`);
      if (s.code) parts.push(`<pre><code>${escapeHtml(s.code)}</code></pre>`);
      return parts.join('\n');
    })
    .join('\n');
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(m.subject)}</title></head>\n<body><h1>${escapeHtml(m.subject)}</h1>\n${body}\n</body></html>\n`;
}

function encodedWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;
}

function base64Lines(text: string): string {
  return Buffer.from(text).toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** An e-mail message (.eml). */
export function toEml(m: Message, from: string, date: Date): string {
  const boundary = `iam2sso-${Buffer.from(m.id).toString('hex').slice(0, 24)}`;
  const to = m.to.includes('@') && !m.to.includes(' ') ? m.to : 'undisclosed-recipients:;';
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${encodedWord(m.subject)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(toMarkdown(m)),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(toHtml(m)),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** Renders in a format. */
export function renderMessage(m: Message, format: MessageFormat, from: string, date: Date): string {
  if (format === 'html') return toHtml(m);
  if (format === 'eml') return toEml(m, from, date);
  return toMarkdown(m);
}

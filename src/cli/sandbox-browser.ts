/**
 * What a person's browser does on the sandbox's sign-in pages, for `iam2sso sandbox signin` and `aws-config`:
 * follows redirects keeping cookies (per host, as browsers do: not per port), reads the one form of each page
 * (the sandbox's own pages: Entra's sign-in form, the auto-posting SAML form, the device approval form) and
 * submits it. Sandbox only: real Entra sign-in pages are scripts, not forms.
 */
import { totpCode } from '@iam2sso/sandbox/aws/iam/ops/mfa.js';
import { CloudError } from '../errors.js';

export type Page = { url: string; status: number; html: string };

export type Form = { action: string; fields: Map<string, string> };

const MAX_HOPS = 20;

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The first form of a page: its absolute action and its named inputs' values. */
export function firstForm(page: Page): Form | null {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(page.html);
  if (!form) return null;
  const action = /\baction="([^"]*)"/.exec(form[1])?.[1];
  const fields = new Map<string, string>();
  for (const input of form[2].matchAll(/<input\b([^>]*)>/gi)) {
    const name = /\bname="([^"]*)"/.exec(input[1])?.[1];
    if (name) fields.set(name, decodeEntities(/\bvalue="([^"]*)"/.exec(input[1])?.[1] ?? ''));
  }
  return { action: new URL(decodeEntities(action ?? ''), page.url).toString(), fields };
}

/** The text of the element with an id, when the page has one. */
export function elementText(page: Page, id: string): string | null {
  const m = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(page.html);
  return m ? decodeEntities(m[1]) : null;
}

/** A cookie-keeping client that follows redirects like a browser. */
export class SandboxBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();

  /** The value of a cookie the browser holds for a host. */
  cookie(host: string, name: string): string | undefined {
    return this.cookies.get(host)?.get(name);
  }

  private remember(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const jar = this.cookies.get(url.hostname) ?? new Map<string, string>();
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
      this.cookies.set(url.hostname, jar);
    }
  }

  /** GET (or POST a form) and follow redirects to the final page. */
  async open(url: string, form?: Map<string, string>): Promise<Page> {
    let current = new URL(url);
    let body: string | undefined = form ? new URLSearchParams([...form]).toString() : undefined;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const jar = this.cookies.get(current.hostname);
      const headers: Record<string, string> = { 'user-agent': 'iam2sso-sandbox-browser/1.0' };
      if (jar?.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(current, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        body,
        redirect: 'manual',
      });
      this.remember(current, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        current = new URL(location, current);
        body = undefined;
        continue;
      }
      return { url: current.toString(), status: response.status, html: await response.text() };
    }
    throw new CloudError('sandbox', 'TooManyRedirects', `more than ${MAX_HOPS} redirects from ${url}`);
  }

  /** Submits the page's first form with some fields set. */
  async submit(page: Page, values: Record<string, string> = {}): Promise<Page> {
    const form = firstForm(page);
    if (!form) throw new CloudError('sandbox', 'NoForm', `the page at ${page.url} has no form`);
    for (const [k, v] of Object.entries(values)) form.fields.set(k, v);
    return this.open(form.action, form.fields);
  }
}

/** Who signs in; `now` is the sandbox's (virtual) time, for the authenticator code. */
export type Person = { upn: string; password: string; totpSeed?: string; now: Date };

/**
 * Signs in through the identity source as a person does: Entra's password form, its code form when the tenant
 * asks for one, then the auto-posting SAML form; resolves with the page the portal shows at `url`.
 */
export async function signInThroughEntra(browser: SandboxBrowser, url: string, person: Person): Promise<Page> {
  let page = await browser.open(url);
  for (let step = 0; step < 4; step++) {
    const form = firstForm(page);
    if (!form) return page;
    if (form.fields.has('passwd')) page = await browser.submit(page, { login: person.upn, passwd: person.password });
    else if (form.fields.has('otc')) {
      if (!person.totpSeed) throw new CloudError('sandbox', 'MfaRequired', `${person.upn} has no authenticator seed`);
      page = await browser.submit(page, { otc: totpCode(person.totpSeed, person.now) });
    } else if (form.fields.has('SAMLResponse')) page = await browser.submit(page);
    else return page;
    const error = elementText(page, 'error');
    if (error && !firstForm(page)?.fields.has('SAMLResponse')) {
      throw new CloudError('sandbox', 'SignInFailed', `signing in as ${person.upn} failed: ${error}`);
    }
  }
  return page;
}

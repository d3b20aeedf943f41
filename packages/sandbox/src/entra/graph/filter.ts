/**
 * OData `$filter` for the properties the product filters on: `eq` / `ne` on strings, booleans and null,
 * `startswith(prop,'x')`, `endswith(prop,'x')`, `prop in ('a','b')`, joined by `and` / `or`, with parentheses
 * and `not`. `ne`, `not` and `endswith` are advanced queries on directory objects: the result says when one was
 * used, so the caller can demand the advanced-query parameters as Graph does
 * (https://learn.microsoft.com/graph/aad-advanced-queries). Anything else is refused as Graph refuses it.
 */

export type FilterValue = string | boolean | null | number;
export type Predicate = (record: Record<string, unknown>) => boolean;

export class FilterError extends Error {}

type Token = { kind: 'ident' | 'string' | 'literal' | 'punct'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      while (i < input.length) {
        if (input[i] === "'" && input[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (input[i] === "'") break;
        else value += input[i++];
      }
      if (input[i] !== "'") throw new FilterError('Unterminated string literal');
      i++;
      tokens.push({ kind: 'string', text: value });
    } else if ('(),'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else {
      const m = /^[A-Za-z0-9_./@:-]+/.exec(input.slice(i));
      if (!m) throw new FilterError(`Syntax error at position ${i} in '${input}'.`);
      tokens.push({ kind: /^(true|false|null|-?\d+)$/.test(m[0]) ? 'literal' : 'ident', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

function literal(token: Token): FilterValue {
  if (token.kind === 'string') return token.text;
  if (token.kind !== 'literal') throw new FilterError(`Syntax error: '${token.text}' is not a value.`);
  if (token.text === 'null') return null;
  if (token.text === 'true' || token.text === 'false') return token.text === 'true';
  return Number(token.text);
}

function equal(a: unknown, b: FilterValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return (a ?? null) === b;
}

/** A parsed filter; `advanced` names the first operator that Graph serves only as an advanced query. */
export type CompiledFilter = { predicate: Predicate; advanced: string | null };

/** Parses a filter into a predicate; `allowed` lists the property names that may be filtered on. */
export function parseFilter(input: string, allowed: readonly string[]): CompiledFilter {
  const tokens = tokenize(input);
  let advanced: string | null = null;
  const useAdvanced = (op: string) => {
    advanced ??= op;
  };
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => {
    const t = tokens[pos++];
    if (!t) throw new FilterError(`Syntax error: unexpected end of '${input}'.`);
    return t;
  };
  const expect = (text: string) => {
    const t = take();
    if (t.text !== text) throw new FilterError(`Syntax error: expected '${text}' but found '${t.text}'.`);
  };
  const property = (name: string) => {
    if (!allowed.includes(name))
      throw new FilterError(`Unsupported or invalid query filter clause specified for property '${name}' of resource.`);
    return (r: Record<string, unknown>) => r[name];
  };

  const primary = (): Predicate => {
    const t = take();
    if (t.text === '(') {
      const inner = or();
      expect(')');
      return inner;
    }
    if (t.text === 'not') {
      useAdvanced('not');
      const inner = primary();
      return (r) => !inner(r);
    }
    if (t.kind !== 'ident') throw new FilterError(`Syntax error at '${t.text}'.`);
    const fn = t.text.toLowerCase();
    if ((fn === 'startswith' || fn === 'endswith') && peek()?.text === '(') {
      expect('(');
      const get = property(take().text);
      expect(',');
      const affix = literal(take());
      expect(')');
      if (typeof affix !== 'string') throw new FilterError(`${fn} needs a string.`);
      const wanted = affix.toLowerCase();
      if (fn === 'startswith')
        return (r) =>
          String(get(r) ?? '')
            .toLowerCase()
            .startsWith(wanted);
      useAdvanced('endsWith');
      return (r) =>
        String(get(r) ?? '')
          .toLowerCase()
          .endsWith(wanted);
    }
    const get = property(t.text);
    const op = take().text.toLowerCase();
    if (op === 'in') {
      expect('(');
      const values: FilterValue[] = [literal(take())];
      while (peek()?.text === ',') {
        take();
        values.push(literal(take()));
      }
      expect(')');
      if (values.length > 15) throw new FilterError('Too many values in the in operator; the maximum is 15.');
      return (r) => values.some((v) => equal(get(r), v));
    }
    const value = literal(take());
    if (op === 'eq') return (r) => equal(get(r), value);
    if (op === 'ne') {
      useAdvanced('ne');
      return (r) => !equal(get(r), value);
    }
    throw new FilterError(`Unsupported query operator '${op}'.`);
  };
  const and = (): Predicate => {
    let left = primary();
    while (peek()?.text === 'and') {
      take();
      const l = left;
      const right = primary();
      left = (r) => l(r) && right(r);
    }
    return left;
  };
  const or = (): Predicate => {
    let left = and();
    while (peek()?.text === 'or') {
      take();
      const l = left;
      const right = and();
      left = (r) => l(r) || right(r);
    }
    return left;
  };
  const predicate = or();
  if (pos !== tokens.length) throw new FilterError(`Syntax error at '${tokens[pos].text}' in '${input}'.`);
  return { predicate, advanced };
}

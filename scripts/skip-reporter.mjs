// A test reporter for scripts/run-tests.mjs: writes one JSON line per skipped test or skipped check (a
// diagnostic starting "skipped check:", see packages/sandbox/test/helpers/tools.ts), for the runner's summary.
const MARK = 'skipped check:';

export default async function* skipReporter(source) {
  for await (const event of source) {
    const d = event.data ?? {};
    if ((event.type === 'test:pass' || event.type === 'test:fail') && d.skip !== undefined && d.skip !== false) {
      const reason = typeof d.skip === 'string' ? d.skip : 'no reason given';
      yield `${JSON.stringify({ file: d.file ?? '', what: `test "${d.name}"`, reason })}\n`;
    } else if (event.type === 'test:diagnostic' && String(d.message).startsWith(MARK)) {
      const text = String(d.message).slice(MARK.length).trim();
      const at = text.lastIndexOf(': ');
      yield `${JSON.stringify({ file: d.file ?? '', what: text.slice(0, at), reason: text.slice(at + 2) })}\n`;
    }
  }
}

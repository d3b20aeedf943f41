// A test reporter for scripts/run-tests.mjs (IAM2SSO_TEST_TIMES=FILE): the time of each test file, slowest first.
export default async function* timeReporter(source) {
  const byFile = new Map();
  for await (const event of source) {
    const d = event.data ?? {};
    if ((event.type === 'test:pass' || event.type === 'test:fail') && d.nesting === 0) {
      const f = d.file ?? d.name;
      byFile.set(f, (byFile.get(f) ?? 0) + (d.details?.duration_ms ?? 0));
    }
  }
  const rows = [...byFile].sort((a, b) => b[1] - a[1]);
  let total = 0;
  for (const [, ms] of rows) total += ms;
  yield `total ${(total / 1000).toFixed(1)} s over ${rows.length} files\n`;
  for (const [f, ms] of rows)
    yield `${(ms / 1000).toFixed(1).padStart(7)} ${f.replace(/.*?\/(test|packages)\//, '$1/')}\n`;
}

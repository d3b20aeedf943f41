import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { colourEnabled, diffPainter } from '../../src/cli/colour.js';
import { addGlobalOptions, inheritGlobalOptions, quietableIo } from '../../src/cli/global-options.js';
import type { Io } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/main.js';

/** A program with the global options and one command that records the flags it is given. */
function program(): { run(argv: string[]): Promise<Record<string, unknown>>; quiet: () => boolean } {
  let seen: Record<string, unknown> = {};
  let quiet = false;
  const root = new Command('iam2sso').exitOverride();
  addGlobalOptions(root);
  root.hook('preAction', (r, c) => {
    quiet = inheritGlobalOptions(r, c);
  });
  root
    .command('audit')
    .option('--no-progress', 'no progress')
    .option('--json', 'json', false)
    .action((flags) => {
      seen = flags;
    });
  return {
    async run(argv) {
      await root.parseAsync(argv, { from: 'user' });
      return seen;
    },
    quiet: () => quiet,
  };
}

describe('global options reach the command, before or after its name', () => {
  it('--profile, --region and --sso-region are part of the flags either way', async () => {
    for (const argv of [
      ['--profile', 'prod', '--region', 'eu-west-1', 'audit', '--sso-region', 'eu-central-1'],
      ['audit', '--profile', 'prod', '--region', 'eu-west-1', '--sso-region', 'eu-central-1'],
    ]) {
      const flags = await program().run(argv);
      assert.deepEqual(
        [flags.profile, flags.region, flags.ssoRegion],
        ['prod', 'eu-west-1', 'eu-central-1'],
        argv.join(' '),
      );
    }
  });

  it('--no-progress and --no-color turn them off; --quiet implies --no-progress', async () => {
    const plain = await program().run(['audit']);
    assert.deepEqual([plain.progress, plain.color, plain.quiet], [true, true, undefined]);
    assert.equal((await program().run(['audit', '--no-progress'])).progress, false);
    assert.equal((await program().run(['--no-progress', 'audit'])).progress, false);
    assert.equal((await program().run(['audit', '--no-color'])).color, false);
    const p = program();
    const quiet = await p.run(['audit', '-q']);
    assert.deepEqual([quiet.progress, p.quiet()], [false, true]);
  });

  it('quiet drops notes on stderr and keeps results on stdout', () => {
    const out: string[] = [];
    const err: string[] = [];
    let quiet = true;
    const io = quietableIo({ out: (s) => out.push(s), err: (s) => err.push(s), isTty: false }, () => quiet);
    io.out('result');
    io.err('note');
    quiet = false;
    io.err('shown');
    assert.deepEqual([out, err], [['result'], ['shown']]);
  });

  it("every command's help lists --profile, --region, --quiet and --no-color", () => {
    const io: Io = { out: () => undefined, err: () => undefined, isTty: false };
    for (const name of ['audit', 'plan', 'apply', 'sync']) {
      const help = buildProgram(io)
        .commands.find((c) => c.name() === name)!
        .helpInformation();
      for (const flag of ['--profile', '--region', '--sso-region', '--quiet', '--no-color'])
        assert.ok(help.includes(flag), `${name} --help shows ${flag}`);
    }
  });
});

describe('colour', () => {
  it('is used on a terminal only, and never with --no-color, NO_COLOR or --json', () => {
    assert.equal(colourEnabled({}, true, {}), true);
    assert.equal(colourEnabled({}, false, {}), false);
    assert.equal(colourEnabled({ color: false }, true, {}), false);
    assert.equal(colourEnabled({}, true, { NO_COLOR: '1' }), false);
    assert.equal(colourEnabled({ json: true }, true, {}), false);
  });

  it('paints + green, ~ yellow, - red, and leaves lines as they are when off', () => {
    const paint = diffPainter(true);
    assert.equal(paint('+ permission set Admin'), '\x1b[32m+ permission set Admin\x1b[39m');
    assert.equal(paint('~ permission set Dev: x'), '\x1b[33m~ permission set Dev: x\x1b[39m');
    assert.equal(paint('  - Entra group G'), '\x1b[31m  - Entra group G\x1b[39m');
    assert.equal(paint('3 to create'), '3 to create');
    assert.equal(diffPainter(false)('+ x'), '+ x');
  });
});

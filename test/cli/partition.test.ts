import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { recommendServiceAccount } from '../../src/core/service-accounts.js';
import { AccountBuilder } from '../helpers/snapshot-builder.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe("ARNs are built in the caller's partition", () => {
  it('no product code writes the commercial partition into an ARN (comments aside)', () => {
    const offending: string[] = [];
    for (const file of sourceFiles(SRC))
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
          if (line.includes('arn:aws:')) offending.push(`${file.slice(SRC.length)}:${i + 1}`);
        });
    assert.deepEqual(offending, []);
  });

  it("a GitHub Actions trust policy names the OIDC provider in the user's partition (GovCloud, China)", () => {
    for (const partition of ['aws-us-gov', 'aws-cn']) {
      const account = new AccountBuilder('123456789012', 'ci', null).user('deploy-gha', {
        category: 'service',
      }).account;
      const user = account.users[0]!;
      user.arn = user.arn.replace('arn:aws:', `arn:${partition}:`);
      const planned = recommendServiceAccount(user, []);
      assert.equal(planned.recommendation, 'github-actions-oidc');
      const trust = JSON.parse(planned.trustPolicy ?? '{}');
      assert.equal(
        trust.Statement[0].Principal.Federated,
        `arn:${partition}:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`,
      );
    }
  });
});

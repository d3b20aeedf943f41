import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pickEndpoint, pickRegion, readProfileSettings } from '../../src/aws/aws-profile.js';
import { resolveAwsSettings } from '../../src/aws/clients.js';
import { locateIdentityCenterRegion, partitionOfRegion } from '../../src/aws/identity-center-region.js';
import { CloudError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'iam2sso-aws-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const configFile = join(dir, 'config');
writeFileSync(
  configFile,
  [
    '[default]',
    'region = us-east-2',
    '[profile eu]',
    'region = eu-west-3',
    'endpoint_url = http://127.0.0.1:4566',
    '[profile sso]',
    'sso_session = corp',
    'sso_account_id = 111111111111',
    'sso_role_name = Admin',
    '[sso-session corp]',
    'sso_start_url = https://corp.awsapps.com/start',
    'sso_region = eu-central-1',
    '',
  ].join('\n'),
);
const files = { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') };

describe('AWS settings follow the AWS CLI', () => {
  it('reads the region, endpoint and SSO region of the named, AWS_PROFILE or default profile', async () => {
    assert.equal((await readProfileSettings({}, files)).region, 'us-east-2');
    const eu = await readProfileSettings({ profile: 'eu' }, files);
    assert.deepEqual([eu.region, eu.endpointUrl, eu.isSso], ['eu-west-3', 'http://127.0.0.1:4566', false]);
    assert.equal((await readProfileSettings({}, { ...files, AWS_PROFILE: 'eu' })).region, 'eu-west-3');
    const sso = await readProfileSettings({ profile: 'sso' }, files);
    assert.deepEqual([sso.region, sso.ssoRegion, sso.isSso], [undefined, 'eu-central-1', true]);
  });

  it('takes the region from the flag, then AWS_REGION, AWS_DEFAULT_REGION, then the profile', async () => {
    const profile = await readProfileSettings({ profile: 'eu' }, files);
    const env = { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'sa-east-1' };
    assert.equal(pickRegion({ region: 'us-west-2' }, env, profile), 'us-west-2');
    assert.equal(pickRegion({}, env, profile), 'ap-south-1');
    assert.equal(pickRegion({}, { AWS_DEFAULT_REGION: 'sa-east-1' }, profile), 'sa-east-1');
    assert.equal(pickRegion({}, {}, profile), 'eu-west-3');
    const settings = await resolveAwsSettings({ profile: 'eu' }, { env: files });
    assert.deepEqual(
      [settings.region, settings.endpoint, settings.profile],
      ['eu-west-3', 'http://127.0.0.1:4566', 'eu'],
    );
  });

  it("takes the endpoint from the flag, else leaves AWS_ENDPOINT_URL* to the SDK, else the profile's", async () => {
    const profile = await readProfileSettings({ profile: 'eu' }, files);
    assert.equal(pickEndpoint({ endpointUrl: 'http://a' }, { AWS_ENDPOINT_URL: 'http://b' }, profile), 'http://a');
    assert.equal(pickEndpoint({}, { AWS_ENDPOINT_URL_IAM: 'http://b' }, profile), undefined);
    assert.equal(pickEndpoint({}, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, profile), undefined);
    assert.equal(pickEndpoint({}, {}, profile), 'http://127.0.0.1:4566');
  });
});

describe("Identity Center's region is found, not assumed", () => {
  const instanceIn =
    (...regions: string[]) =>
    async (region: string) => {
      probed.push(region);
      return regions.includes(region);
    };
  let probed: string[] = [];

  it('uses --sso-region as given, without a call', async () => {
    probed = [];
    const region = await locateIdentityCenterRegion({
      ssoRegion: 'eu-west-1',
      candidates: ['us-east-1'],
      probe: instanceIn(),
    });
    assert.equal(region, 'eu-west-1');
    assert.deepEqual(probed, []);
  });

  it("tries the profile's SSO region and the command's region before searching", async () => {
    probed = [];
    const region = await locateIdentityCenterRegion({
      candidates: ['eu-central-1', 'us-east-1'],
      probe: instanceIn('us-east-1'),
    });
    assert.equal(region, 'us-east-1');
    assert.deepEqual(probed, ['eu-central-1', 'us-east-1']);
  });

  it('searches the enabled regions, skipping those that answer with an error, and says which flag skips the search', async () => {
    const notes: string[] = [];
    const probe = async (region: string) => {
      if (region === 'af-south-1')
        throw Object.assign(new Error('not enabled'), { $metadata: { httpStatusCode: 400 } });
      return region === 'ap-southeast-2';
    };
    const region = await locateIdentityCenterRegion({ candidates: ['us-east-1'], probe, note: (l) => notes.push(l) });
    assert.equal(region, 'ap-southeast-2');
    assert.match(notes.join('\n'), /found in ap-southeast-2 \(not in us-east-1\); pass --sso-region ap-southeast-2/);
  });

  it('names every region searched when no instance is found, within the partition', async () => {
    await assert.rejects(
      locateIdentityCenterRegion({ candidates: ['us-gov-west-1'], probe: async () => false }),
      (e: unknown) =>
        e instanceof CloudError &&
        e.errorName === 'IdentityCenterNotFound' &&
        /us-gov-west-1, us-gov-east-1\)/.test(e.message) &&
        /--sso-region/.test(e.hint ?? ''),
    );
    assert.equal(partitionOfRegion('cn-northwest-1'), 'aws-cn');
  });

  it('stops at a credential failure instead of calling it "not found"', async () => {
    const login = new CloudError('aws', 'SsoLoginRequired', 'no session', undefined, 'run aws sso login --profile x');
    await assert.rejects(
      locateIdentityCenterRegion({
        candidates: ['us-east-1'],
        probe: async () => {
          throw login;
        },
      }),
      (e: unknown) => e === login,
    );
  });
});

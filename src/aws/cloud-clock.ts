/**
 * The cloud's time for commands that measure windows against CloudTrail: one STS GetCallerIdentity call (it needs no
 * permission), after which the SDK's clock-skew correction has set `systemClockOffset` from the response's `Date`
 * header (@smithy/core's signer updates it when the skew is 5 minutes or more). `decommission` measures its watch
 * window on the same clock (`cloudNow`), so `track`'s windows and the stage dates compare, the sandbox's virtual clock
 * included.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { type AwsSettings, createBaseClients, destroyClients } from './clients.js';

/** The time as the cloud sees it. */
export async function cloudClock(settings: AwsSettings): Promise<Date> {
  const clients = createBaseClients(settings);
  try {
    await clients.sts.send(new GetCallerIdentityCommand({}));
    const offset = (clients.sts.config as { systemClockOffset?: number }).systemClockOffset ?? 0;
    return new Date(Date.now() + offset);
  } finally {
    destroyClients(clients);
  }
}

import { Injectable } from '@nestjs/common';
import type { EpochMs } from '@lineage/domain';

/** The time, as a provider: key expiry and the events the product writes itself read it. */
@Injectable()
export class Clock {
  now(): EpochMs {
    return Date.now();
  }
}

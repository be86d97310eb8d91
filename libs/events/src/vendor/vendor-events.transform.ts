import type { EventTransforms } from '../transform/event-transform';
import { details } from '../transform/event-transform';

type VendorEventType = 'vendor.onboarded' | 'vendor.contract.ended';

export const VENDOR_TRANSFORMS: EventTransforms<VendorEventType> = {
  'vendor.onboarded': (data, facts) => {
    facts.define('Vendor', data.vendorId, data.name, { contractStatus: 'active', endedAt: null });
    if (data.sponsorId !== undefined) {
      // One sponsor at a time: onboarding again with another sponsor hands the vendor over.
      facts.reference('Person', data.sponsorId);
      facts.unrelateOthers('SPONSORS', 'to', data.vendorId, [data.sponsorId]);
      facts.relate('SPONSORS', data.sponsorId, data.vendorId, 'declared');
    }
    return {
      subjectId: data.vendorId,
      summary: `${data.vendorId} onboarded${details(data.name, data.sponsorId && `sponsor ${data.sponsorId}`)}`,
    };
  },

  'vendor.contract.ended': (data, facts) => {
    facts.update('Vendor', data.vendorId, { contractStatus: 'ended', endedAt: facts.stamp.time });
    return { subjectId: data.vendorId, summary: `${data.vendorId} contract ended` };
  },
};

import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { Id, Name } from '../contracts/common.schema';

export const VendorOnboardedData = Type.Object({
  vendorId: Id,
  name: Name,
  /** The person who sponsors the vendor: accountable for what it supplies. */
  sponsorId: Type.Optional(Id),
});

export const VendorContractEndedData = Type.Object({ vendorId: Id });

export type VendorOnboardedData = Static<typeof VendorOnboardedData>;
export type VendorContractEndedData = Static<typeof VendorContractEndedData>;

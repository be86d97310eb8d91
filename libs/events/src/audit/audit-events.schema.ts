import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { Id, Label, Text } from '../contracts/common.schema';

/** What a credential or an NHI did. At least one of credentialId and nhiId is required. */
export const CredentialUsedData = Type.Object(
  {
    credentialId: Type.Optional(Id),
    nhiId: Type.Optional(Id),
    /** Who acted: a person (`person:…`, or any id with `interactive: true`) or a machine. */
    actorId: Type.Optional(Id),
    action: Type.Optional(Text),
    resourceId: Type.Optional(Id),
    /** Accepted and validated, but never written to the graph. */
    sourceIp: Type.Optional(Label),
    interactive: Type.Optional(Type.Boolean()),
  },
  { anyOf: [{ required: ['credentialId'] }, { required: ['nhiId'] }] },
);

export type CredentialUsedData = Static<typeof CredentialUsedData>;

import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { DateTime, Email, Id, Label, Name, StringEnum, Text } from '../contracts/common.schema';

export const EMPLOYMENT_TYPES = ['employee', 'contractor'] as const;

export const PersonJoinedData = Type.Object({
  personId: Id,
  email: Email,
  name: Type.Optional(Name),
  employmentType: Type.Optional(StringEnum(EMPLOYMENT_TYPES)),
  managerId: Type.Optional(Id),
  department: Type.Optional(Label),
});

export const PersonMovedData = Type.Object({
  personId: Id,
  managerId: Type.Optional(Id),
  department: Type.Optional(Label),
  title: Type.Optional(Label),
});

export const PersonLeftData = Type.Object({
  personId: Id,
  /** When the person left, if not the event time (a termination recorded after the fact). */
  leftAt: Type.Optional(DateTime),
  reason: Type.Optional(Text),
});

export type PersonJoinedData = Static<typeof PersonJoinedData>;
export type PersonMovedData = Static<typeof PersonMovedData>;
export type PersonLeftData = Static<typeof PersonLeftData>;

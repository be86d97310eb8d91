import { ObjectType } from '@nestjs/graphql';
import { Connection } from './connection.model';
import { CredentialModel, NhiModel, NodeModel, PersonModel, RoleModel, WorkloadModel } from './node.model';

@ObjectType('NHIConnection')
export class NhiConnection extends Connection(NhiModel, 'NHI') {}

@ObjectType('PersonConnection')
export class PersonConnection extends Connection(PersonModel, 'Person') {}

@ObjectType('CredentialConnection')
export class CredentialConnection extends Connection(CredentialModel, 'Credential') {}

@ObjectType('WorkloadConnection')
export class WorkloadConnection extends Connection(WorkloadModel, 'Workload') {}

@ObjectType('RoleConnection')
export class RoleConnection extends Connection(RoleModel, 'Role') {}

@ObjectType('NodeConnection')
export class NodeConnection extends Connection(NodeModel, 'Node') {}

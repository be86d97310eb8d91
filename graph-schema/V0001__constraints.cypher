// nhi-lineage Neo4j schema, version 1: uniqueness constraints (each also gives its properties a range index).
// Applied at start-up by libs/store-neo4j (neo4j-migrations.ts), statement by statement; recorded as (:SchemaMigration {version: 1}).
// Never edit a released migration: add the next version.

// Graph nodes: every node carries :Node and its kind label. One key constraint on :Node, and one per kind label,
// written out from NODE_KINDS (libs/domain/src/model/graph-model.ts); neo4j-schema.spec.ts fails when a kind is missing.
CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT nhi_id IF NOT EXISTS FOR (n:NHI) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT credential_id IF NOT EXISTS FOR (n:Credential) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT workload_id IF NOT EXISTS FOR (n:Workload) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT vendor_id IF NOT EXISTS FOR (n:Vendor) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT role_id IF NOT EXISTS FOR (n:Role) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT resource_id IF NOT EXISTS FOR (n:Resource) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT secret_store_id IF NOT EXISTS FOR (n:SecretStore) REQUIRE n.id IS UNIQUE;

// Ingestion bookkeeping (no :Node label): source + id is an event's idempotency key.
CREATE CONSTRAINT ingested_event_key IF NOT EXISTS FOR (e:IngestedEvent) REQUIRE (e.source, e.id) IS UNIQUE;
CREATE CONSTRAINT timeline_entry_key IF NOT EXISTS FOR (t:TimelineEntry) REQUIRE (t.entityId, t.source, t.eventId) IS UNIQUE;
CREATE CONSTRAINT ingest_counter_key IF NOT EXISTS FOR (c:IngestCounter) REQUIRE (c.source, c.type) IS UNIQUE;
CREATE CONSTRAINT dead_letter_seq IF NOT EXISTS FOR (d:DeadLetter) REQUIRE d.seq IS UNIQUE;
CREATE CONSTRAINT checkpoint_stream IF NOT EXISTS FOR (c:Checkpoint) REQUIRE c.stream IS UNIQUE;
CREATE CONSTRAINT sequence_name IF NOT EXISTS FOR (s:Sequence) REQUIRE s.name IS UNIQUE;

// Offboarding plans: one per triggering event (source + id), numbered for paging; their outbox rows.
CREATE CONSTRAINT offboarding_plan_trigger IF NOT EXISTS FOR (p:OffboardingPlan) REQUIRE (p.triggerSource, p.triggeredBy) IS UNIQUE;
CREATE CONSTRAINT offboarding_plan_seq IF NOT EXISTS FOR (p:OffboardingPlan) REQUIRE p.seq IS UNIQUE;
CREATE CONSTRAINT plan_delivery_id IF NOT EXISTS FOR (d:PlanDelivery) REQUIRE d.id IS UNIQUE;

// API keys (hashes only) and the migrations themselves.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE;
CREATE CONSTRAINT schema_migration_version IF NOT EXISTS FOR (m:SchemaMigration) REQUIRE m.version IS UNIQUE;

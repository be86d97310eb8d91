// nhi-lineage Neo4j schema, version 2: range indexes for what the queries filter on.
// Node ids already have one from the constraints of version 1; traversals start from them.

// Timeline: "events of entity X between t1 and t2, paginated" is an equality on entityId and a range on time.
CREATE INDEX timeline_entity_time IF NOT EXISTS FOR (t:TimelineEntry) ON (t.entityId, t.time);

// Plans: the latest plan of a subject; the outbox scan of pending deliveries per channel.
CREATE INDEX offboarding_plan_subject IF NOT EXISTS FOR (p:OffboardingPlan) ON (p.subjectId, p.effectiveAt);
CREATE INDEX plan_delivery_pending IF NOT EXISTS FOR (d:PlanDelivery) ON (d.channel, d.nextAttemptAt);

// Attributes that offboarding and the OWASP findings select on (attributes are real properties).
CREATE INDEX person_left_at IF NOT EXISTS FOR (n:Person) ON (n.leftAt);
CREATE INDEX person_status IF NOT EXISTS FOR (n:Person) ON (n.status);
CREATE INDEX vendor_contract_status IF NOT EXISTS FOR (n:Vendor) ON (n.contractStatus);
CREATE INDEX credential_status IF NOT EXISTS FOR (n:Credential) ON (n.status);
CREATE INDEX credential_expires_at IF NOT EXISTS FOR (n:Credential) ON (n.expiresAt);
CREATE INDEX credential_last_rotated_at IF NOT EXISTS FOR (n:Credential) ON (n.lastRotatedAt);
CREATE INDEX secret_store_kind IF NOT EXISTS FOR (n:SecretStore) ON (n.storeKind);
CREATE INDEX nhi_environment IF NOT EXISTS FOR (n:NHI) ON (n.environment);

// Relationship property indexes, for the scans that start from relationships rather than from a node:
// admin grants (NHI5), observed access within a window (NHI5 unused grants), human use of an NHI (NHI10).
CREATE INDEX grants_level IF NOT EXISTS FOR ()-[r:GRANTS]-() ON (r.level);
CREATE INDEX accessed_last_seen IF NOT EXISTS FOR ()-[r:ACCESSED]-() ON (r.lastSeen);
CREATE INDEX used_validity IF NOT EXISTS FOR ()-[r:USED]-() ON (r.validFrom, r.validTo);

// Plans are served with where their deliveries stand, and listed by whether one is undelivered:
// deliveries are looked up by their plan's key.
CREATE INDEX plan_delivery_plan IF NOT EXISTS FOR (d:PlanDelivery) ON (d.triggerSource, d.triggeredBy);
// Only a delivery still to make keeps `nextAttemptAt`, so `plan_delivery_pending` (channel,
// nextAttemptAt) holds the outbox alone, not every delivery ever made. Deliveries made before
// this release lose theirs here; running it again changes nothing.
MATCH (d:PlanDelivery) WHERE d.deliveredAt IS NOT NULL AND d.nextAttemptAt IS NOT NULL REMOVE d.nextAttemptAt;

#!/bin/sh
# Creates nhi-lineage's Kafka topics (idempotent: existing topics are left as they are).
# Run once by the `kafka-init` service of compose.yml, with the apache/kafka image's tools.
#
#   BOOTSTRAP        broker to talk to (kafka:19092 inside the compose network)
#   PARTITIONS       partitions of the input topics: the most consumer-group members that can
#                    share the work (events are keyed by subject, so one subject stays ordered)
#   REPLICATION      replication factor (1 for a single broker)
set -eu

BOOTSTRAP="${BOOTSTRAP:-kafka:19092}"
PARTITIONS="${PARTITIONS:-6}"
REPLICATION="${REPLICATION:-1}"
TOPICS=/opt/kafka/bin/kafka-topics.sh

create() {
  topic="$1"
  partitions="$2"
  shift 2
  "$TOPICS" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$REPLICATION" "$@"
}

# Input topics: any canonical event type may arrive on any of them; the topic only routes.
for topic in hr.events iam.events cloud.audit ci.events; do
  create "$topic" "$PARTITIONS"
done

# Dead letters are kept until someone deals with them: bad input is never lost.
create lineage.dlq "$PARTITIONS" --config retention.ms=-1

# Offboarding plans, keyed by the person or vendor who left; kept for 30 days.
create lineage.offboarding 3 --config retention.ms=2592000000

"$TOPICS" --bootstrap-server "$BOOTSTRAP" --describe \
  --topic 'hr\.events|iam\.events|cloud\.audit|ci\.events|lineage\.dlq|lineage\.offboarding'

// Follow-ups: work an accepted event asks for once committed (an offboarding plan), written in
// the event's own transaction and removed when done.
CREATE CONSTRAINT follow_up_key IF NOT EXISTS FOR (f:FollowUp) REQUIRE f.key IS UNIQUE;
CREATE INDEX follow_up_kind IF NOT EXISTS FOR (f:FollowUp) ON (f.kind, f.createdAt);

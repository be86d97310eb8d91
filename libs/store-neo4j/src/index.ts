export { Neo4jGraphStore, MIN_NEO4J_VERSION, checkServerVersion, redactUri } from './neo4j-graph-store';
export type { Neo4jConnectOptions } from './neo4j-graph-store';
export { findSchemaDir, loadMigrations, parseMigrationFileName, splitStatements } from './neo4j-migrations';
export type { SchemaMigration } from './neo4j-migrations';

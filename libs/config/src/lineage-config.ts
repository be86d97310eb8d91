import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/** The SASL mechanisms the Kafka client offers that authenticate with a username and a password. */
export const KAFKA_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

/**
 * Every setting the apps read, validated once at start. Nothing else reads `process.env`: a bad
 * value stops the process with a message that names the variable.
 */
export class LineageConfig {
  @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 4000;

  @IsIn(['embedded', 'neo4j'])
  LINEAGE_STORE: 'embedded' | 'neo4j' = 'embedded';

  @IsString() @MinLength(1)
  LINEAGE_DATA_DIR = './data';

  /** The embedded store's page cache in MiB: large graphs ingest and answer faster with more. */
  @Transform(toInt) @IsInt() @Min(8) @Max(65536)
  LINEAGE_SQLITE_CACHE_MB = 512;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  NEO4J_URI?: string;

  @IsString()
  NEO4J_USER = 'neo4j';

  @Transform(blankToUndefined) @IsOptional() @IsString()
  NEO4J_PASSWORD?: string;

  @Transform(blankToUndefined) @IsOptional() @IsString()
  NEO4J_DATABASE?: string;

  /** Comma-separated `host:port` list; Kafka consumers and producers start only when it is set. */
  @Transform(blankToUndefined) @IsOptional() @IsString()
  KAFKA_BROKERS?: string;

  @IsString()
  KAFKA_CLIENT_ID = 'nhi-lineage';

  @IsString()
  KAFKA_GROUP_ID = 'nhi-lineage-ingestor';

  /** Comma-separated input topics. */
  @IsString()
  KAFKA_TOPICS = 'hr.events,iam.events,cloud.audit,ci.events';

  @IsString()
  KAFKA_DLQ_TOPIC = 'lineage.dlq';

  /**
   * Most bytes one send to the dead-letter topic carries: the topic's `max.message.bytes` (Kafka's
   * default is 1,048,588). A dead letter larger on its own goes without its value (the store keeps it).
   */
  @Transform(toInt) @IsInt() @Min(1024) @Max(1073741824)
  KAFKA_DLQ_MAX_BYTES = 1_000_000;

  @IsString()
  KAFKA_OFFBOARDING_TOPIC = 'lineage.offboarding';

  /** `true`: connect to the brokers over TLS (Node's CAs, plus NODE_EXTRA_CA_CERTS), with SNI. */
  @IsIn(['true', 'false'])
  KAFKA_TLS: 'true' | 'false' = 'false';

  /** SASL authentication; needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD. */
  @Transform(blankToUndefined) @IsOptional() @IsIn(KAFKA_SASL_MECHANISMS)
  KAFKA_SASL_MECHANISM?: (typeof KAFKA_SASL_MECHANISMS)[number];

  @Transform(blankToUndefined) @IsOptional() @IsString()
  KAFKA_SASL_USERNAME?: string;

  /** A secret: read from the environment, never logged. */
  @Transform(blankToUndefined) @IsOptional() @IsString()
  KAFKA_SASL_PASSWORD?: string;

  /** The first admin key; without it, first start writes a generated one to `<data dir>/admin.key`. */
  @Transform(blankToUndefined) @IsOptional() @IsString() @MinLength(24)
  LINEAGE_ADMIN_KEY?: string;

  @Transform(blankToUndefined) @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  LINEAGE_WEBHOOK_URL?: string;

  /** HMAC-SHA256 key for `X-Lineage-Signature`; required when LINEAGE_WEBHOOK_URL is set. */
  @Transform(blankToUndefined) @IsOptional() @IsString() @MinLength(16)
  LINEAGE_WEBHOOK_SECRET?: string;

  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  LINEAGE_ROTATION_DAYS = 90;

  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  LINEAGE_MAX_EXPIRY_DAYS = 365;

  @Transform(toInt) @IsInt() @Min(1) @Max(3650)
  LINEAGE_USAGE_WINDOW_DAYS = 90;

  /** Most events per store transaction from Kafka (a batch is what the stream has buffered, up to this). */
  @Transform(toInt) @IsInt() @Min(1) @Max(100000)
  LINEAGE_BATCH_SIZE = 2000;

  /**
   * Records per store transaction from a file (`nhi-lineage ingest`, the demo). Larger than
   * Kafka's: a file has no latency to keep, and a larger batch writes each B-tree page it touches
   * once for more events (2,000 → 20,000: about 30% faster at P = 1,000 in this project's benchmark).
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(1000000)
  LINEAGE_FILE_BATCH_SIZE = 20000;

  /** Serve the GraphiQL IDE at GET /graphql (static page; every query it sends is authenticated). */
  @IsIn(['true', 'false'])
  LINEAGE_GRAPHQL_IDE: 'true' | 'false' = 'true';

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';
}

/** A configuration that cannot run: its message names every bad variable. */
export class ConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validate an environment; throws one ConfigError that names every bad variable. */
export function validateConfig(env: Record<string, unknown>): LineageConfig {
  const known = Object.keys(new LineageConfig());
  const relevant = Object.fromEntries(Object.entries(env).filter(([key]) => known.includes(key)));
  const config = plainToInstance(LineageConfig, relevant, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`));
  }
  if (config.LINEAGE_STORE === 'neo4j' && !config.NEO4J_URI) throw new ConfigError(['NEO4J_URI: is required when LINEAGE_STORE=neo4j']);
  const sasl = [config.KAFKA_SASL_MECHANISM, config.KAFKA_SASL_USERNAME, config.KAFKA_SASL_PASSWORD];
  if (sasl.some((v) => v !== undefined) && sasl.some((v) => v === undefined)) {
    throw new ConfigError(['KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: set all three for SASL, or none']);
  }
  if (config.LINEAGE_WEBHOOK_URL && !config.LINEAGE_WEBHOOK_SECRET) {
    throw new ConfigError(['LINEAGE_WEBHOOK_SECRET: is required when LINEAGE_WEBHOOK_URL is set']);
  }
  return config;
}

/** A SASL login to the brokers. */
export interface KafkaSasl {
  readonly mechanism: (typeof KAFKA_SASL_MECHANISMS)[number];
  readonly username: string;
  readonly password: string;
}

/** The SASL login the configuration names, or null (validation has made it all three settings or none). */
export function kafkaSasl(config: LineageConfig): KafkaSasl | null {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  return mechanism && username && password ? { mechanism, username, password } : null;
}

export function kafkaTopics(config: LineageConfig): string[] {
  return config.KAFKA_TOPICS.split(',').map((t) => t.trim()).filter(Boolean);
}

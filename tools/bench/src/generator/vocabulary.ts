/** Words that make generated names read like an enterprise's (no real company, person or secret). */

// prettier-ignore
export const TEAMS = [
  'payments', 'billing', 'checkout', 'search', 'identity', 'ledger', 'catalog', 'analytics', 'ml', 'support',
  'inventory', 'shipping', 'notifications', 'reporting', 'fraud', 'onboarding', 'pricing', 'growth', 'infra', 'observability',
];

// prettier-ignore
export const APPS = [
  'api', 'worker', 'etl', 'sync', 'scheduler', 'gateway', 'exporter', 'ingest', 'backup', 'monitor', 'indexer',
  'webhook', 'consumer', 'reconciler', 'notifier', 'deployer',
];

export const ORG = 'example-corp';

/** Test support for specs of every lib, imported as `@lineage/domain/testing`; not part of the domain's API. */
export * from './graph-fixtures';

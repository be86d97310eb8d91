import type { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Page } from '@lineage/domain';

@ObjectType('PageInfo')
export class PageInfoModel {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass it as `after` to get the next page.' })
  endCursor!: string | null;
}

export interface EdgeShape<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: EdgeShape<T>[];
  pageInfo: PageInfoModel;
  totalCount: number;
}

/**
 * A Relay connection type (`<Name>Connection`, `<Name>Edge`) for `nodeType`. `totalCount` is
 * the number of items across all pages. Cursors are the store's own and opaque; every edge has
 * one, and `after: <an edge's cursor>` resumes right after that edge (`pageInfo.endCursor` is
 * the last edge's).
 */
export function Connection<T>(nodeType: Type<T> | (abstract new () => T), name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class Edge implements EdgeShape<T> {
    @Field(() => String, { description: 'Pass it as `after` to resume right after this edge.' })
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges!: EdgeShape<T>[];

    @Field(() => PageInfoModel)
    pageInfo!: PageInfoModel;

    @Field(() => Int, { description: 'Items across all pages.' })
    totalCount!: number;
  }

  return ConnectionType as unknown as Type<ConnectionShape<T>>;
}

/** A store page as a connection: each edge with the cursor the store gave its item. */
export function toConnection<I, T>(page: Page<I>, view: (item: I) => T): ConnectionShape<T> {
  return {
    edges: page.items.map((item, index) => ({ cursor: page.cursors[index]!, node: view(item) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}

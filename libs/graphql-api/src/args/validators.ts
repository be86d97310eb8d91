import type { ValidationArguments, ValidationOptions } from 'class-validator';
import { registerDecorator } from 'class-validator';

/** Ids are opaque strings, used exactly as sent; this bounds them. */
export const MAX_ID_LENGTH = 512;

function isId(value: unknown): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_ID_LENGTH;
}

const ID_MESSAGE = `$property must be a non-empty id of at most ${MAX_ID_LENGTH} characters`;

/** A required node id: a string of 1 to 512 characters. */
export function IsNodeId(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isNodeId',
      target: target.constructor,
      propertyName: String(property),
      options: { message: ID_MESSAGE, ...options },
      validator: { validate: isId },
    });
}

/**
 * An optional node id: absent, null, or a string of 1 to 512 characters. Unlike `@IsOptional`,
 * it does not switch off the property's other validators (`@ExactlyOneOf` must see an absent id).
 */
export function IsOptionalNodeId(options?: ValidationOptions): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'isOptionalNodeId',
      target: target.constructor,
      propertyName: String(property),
      options: { message: ID_MESSAGE, ...options },
      validator: { validate: (value: unknown) => value === undefined || value === null || isId(value) },
    });
}

/** Exactly one of this property and `others` is given (not null). */
export function ExactlyOneOf(others: readonly string[], options?: ValidationOptions): PropertyDecorator {
  return (target, property) => {
    const names = [String(property), ...others];
    registerDecorator({
      name: 'exactlyOneOf',
      target: target.constructor,
      propertyName: String(property),
      options: { message: `give exactly one of ${names.join(' and ')}`, ...options },
      validator: {
        validate: (_value: unknown, args: ValidationArguments) => {
          const object = args.object as Record<string, unknown>;
          return names.filter((name) => object[name] !== undefined && object[name] !== null).length === 1;
        },
      },
    });
  };
}

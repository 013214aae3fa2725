/* eslint-disable @typescript-eslint/no-explicit-any -- walks untyped CloudFormation JSON */
/**
 * Checks a CloudFormation template against the AWS resource specification (the npm package
 * @aws-cdk/aws-service-spec, loaded offline): what CloudFormation would otherwise refuse only at
 * deploy time. Every resource type must exist; every property name, at the top and inside nested
 * property types, must exist for its type; every required property must be present.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';

type SpecDatabase = ReturnType<typeof loadAwsServiceSpecSync>;

/** The keys CloudFormation allows on a resource beside `Type` and `Properties`. */
const RESOURCE_ATTRIBUTES = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'Metadata', 'DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy']);

/** Loads the specification once (a few hundred milliseconds to a few seconds). */
export function loadSpec(): SpecDatabase {
  return loadAwsServiceSpecSync();
}

/** The required properties of a resource type, by the specification (empty for an unknown type). */
export function requiredProperties(db: SpecDatabase, type: string): string[] {
  const spec = db.lookup('resource', 'cloudFormationType', 'equals', type)[0];
  return Object.entries(spec?.properties ?? {}).flatMap(([name, property]) => (property.required === true ? [name] : []));
}

/** Every way `template` breaks the specification, one sentence each; empty when it keeps to it. */
export function specProblems(db: SpecDatabase, template: Record<string, any>): string[] {
  const resourceSpec = (type: string) => db.lookup('resource', 'cloudFormationType', 'equals', type)[0];
  type SpecProperties = NonNullable<ReturnType<typeof resourceSpec>>['properties'];
  type SpecType = SpecProperties[string]['type'];

  const problems: string[] = [];

  /** Problems of one object against a set of property specs, at `where`. */
  const checkObject = (where: string, value: Record<string, unknown>, properties: SpecProperties): string[] => {
    const found: string[] = [];
    for (const [name, property] of Object.entries(properties)) {
      if (property.required === true && !(name in value)) found.push(`${where}: required property ${name} is missing`);
    }
    for (const [name, inner] of Object.entries(value)) {
      const property = properties[name];
      if (property === undefined) found.push(`${where}: unknown property ${name}`);
      else found.push(...checkValue(`${where}.${name}`, inner, property.type));
    }
    return found;
  };

  /** Problems of one value against its spec type; intrinsic functions are taken on trust. */
  const checkValue = (where: string, value: unknown, type: SpecType): string[] => {
    if (isIntrinsic(value)) return [];
    switch (type.type) {
      case 'ref': {
        if (!isPlainObject(value)) return [];
        return checkObject(where, value, db.get('typeDefinition', type.reference).properties);
      }
      case 'array':
        return Array.isArray(value) ? value.flatMap((element, i) => checkValue(`${where}[${i}]`, element, type.element)) : [];
      case 'map':
        return isPlainObject(value) ? Object.entries(value).flatMap(([key, element]) => checkValue(`${where}.${key}`, element, type.element)) : [];
      case 'union': {
        // Good if any alternative takes it; otherwise the first alternative's complaints.
        const outcomes = type.types.map((alternative) => checkValue(where, value, alternative));
        return outcomes.some((outcome) => outcome.length === 0) ? [] : (outcomes[0] ?? []);
      }
      default:
        return []; // primitives and free JSON: their values are not checked here
    }
  };

  for (const [logicalId, resource] of Object.entries<Record<string, any>>(template['Resources'] ?? {})) {
    const type = String(resource['Type']);
    const where = `${logicalId} (${type})`;
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_ATTRIBUTES.has(key)) problems.push(`${where}: unknown resource attribute ${key}`);
    }
    const spec = resourceSpec(type);
    if (spec === undefined) {
      problems.push(`${where}: no such resource type`);
      continue;
    }
    problems.push(...checkObject(where, resource['Properties'] ?? {}, spec.properties));
  }
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ Ref: … }`, `{ 'Fn::GetAtt': … }` and the like: resolved by CloudFormation, not shaped like the property. */
function isIntrinsic(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || (keys[0] ?? '').startsWith('Fn::'));
}

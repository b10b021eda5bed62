// exactOptionalPropertyTypes: an optional property must be absent, not undefined.
// Protobuf messages read `optional` fields as undefined when unset, and the
// service's inputs (and protobuf-es init shapes) want them absent.

/** T with its possibly-undefined properties made optional and never undefined. */
export type OmitUndefined<T> =
  & { [K in keyof T as undefined extends T[K] ? never : K]: T[K] }
  & { [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined> };

/** A shallow copy of `value` without its undefined properties. */
export function omitUndefined<T extends object>(value: T): OmitUndefined<T> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = item;
  return out as OmitUndefined<T>;
}

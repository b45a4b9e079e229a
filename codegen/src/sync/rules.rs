//! The change rules: one stable id per kind of change, with the direction it applies to
//! (`request-…` / `response-…`) and the class it gets by default. Ignore files name these ids,
//! and `docs/UPDATING.md` lists every one of them (a test keeps the two in step).

use serde::{Deserialize, Serialize};

use super::report::Class;

macro_rules! rules {
    ($($variant:ident = $id:literal, $class:ident, $what:literal;)*) => {
        /// A change rule. [`Rule::id`] is stable: ignore files and tools may rely on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Rule {
            $(
                #[doc = $what]
                #[serde(rename = $id)]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in the order `docs/UPDATING.md` lists them.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable id, e.g. `response-field-became-nullable`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            /// The class a change under this rule gets unless the Rust view shows that the
            /// generated item does not change (then it is `patch`, with a note saying why).
            pub fn default_class(self) -> Class {
                match self { $(Rule::$variant => Class::$class,)* }
            }

            /// One line on what the rule matches.
            pub fn description(self) -> &'static str {
                match self { $(Rule::$variant => $what,)* }
            }

            /// The rule with this id.
            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $($id => Some(Rule::$variant),)* _ => None }
            }
        }
    };
}

rules! {
    OperationAdded = "operation-added", Additive,
        "A new operation: a new `Client` method.";
    OperationRemoved = "operation-removed", Breaking,
        "An operation is gone: its `Client` method disappears.";
    OperationRouteChanged = "operation-route-changed", Additive,
        "Same `operationId`, new method or path: the Rust method keeps its name and signature.";
    OperationAnnotationsChanged = "operation-annotations-changed", Patch,
        "Descriptions, error responses or security changed; the method signature did not.";
    RequestParameterAddedOptional = "request-parameter-added-optional", Additive,
        "A new optional parameter: a new builder setter.";
    RequestParameterAddedRequired = "request-parameter-added-required", Breaking,
        "A new required parameter: a new argument, or calls without it are now refused.";
    RequestParameterRemoved = "request-parameter-removed", Breaking,
        "A parameter is gone: its argument or setter disappears.";
    RequestParameterTypeChanged = "request-parameter-type-changed", Breaking,
        "A parameter's type changed: its argument or setter changes type.";
    RequestParameterBecameRequired = "request-parameter-became-required", Breaking,
        "A parameter became required: calls that leave it out are now refused.";
    RequestParameterBecameOptional = "request-parameter-became-optional", Patch,
        "A parameter became optional: every call that worked still works, and a query setter is optional in Rust either way.";
    RequestBodyAddedOptional = "request-body-added-optional", Additive,
        "An operation gained an optional request body: a new setter.";
    RequestBodyAddedRequired = "request-body-added-required", Breaking,
        "An operation gained a required request body: calls without it are refused.";
    RequestBodyRemoved = "request-body-removed", Breaking,
        "The request body is gone.";
    RequestBodyMediaTypeAdded = "request-body-media-type-added", Additive,
        "A new content type for the request body: a new way to send, the old one stays.";
    RequestBodyMediaTypeRemoved = "request-body-media-type-removed", Breaking,
        "A content type of the request body is gone.";
    RequestBodyTypeChanged = "request-body-type-changed", Breaking,
        "The request body's type changed.";
    RequestBodyVariantAdded = "request-body-variant-added", Additive,
        "The request body accepts one more request model: a new variant of the `#[non_exhaustive]` body enum.";
    RequestBodyVariantRemoved = "request-body-variant-removed", Breaking,
        "The request body accepts one request model fewer: a body enum variant disappears.";
    RequestBodyBecameRequired = "request-body-became-required", Breaking,
        "The request body became required: calls without one are refused.";
    RequestBodyBecameOptional = "request-body-became-optional", Breaking,
        "The request body became optional; patch when the body is JSON (its setter is optional either way), breaking when a required multipart file argument becomes a setter.";
    ResponseTypeChanged = "response-type-changed", Breaking,
        "The success response's status or type changed: the method's return type changes.";
    ResponseUnionVariantAdded = "response-union-variant-added", Additive,
        "A response `oneOf` gained a model: a new variant of the overlay union, which is `#[non_exhaustive]` with an `Unknown` variant (add it to `[unions.*]`).";
    ResponseUnionVariantRemoved = "response-union-variant-removed", Breaking,
        "A response `oneOf` lost a model: a union variant disappears.";
    TypeAdded = "type-added", Additive,
        "A new component schema: a new type.";
    TypeRemoved = "type-removed", Breaking,
        "A component schema is gone: its type disappears.";
    TypeKindChanged = "type-kind-changed", Breaking,
        "A component changed kind (object, enum, alias, union), an alias changed type, or an enum its base type or format (patch when the Rust enum stays the same: `Unknown(i64)` either way).";
    TypeAnnotationsChanged = "type-annotations-changed", Patch,
        "Descriptions or other annotations of a component changed; its Rust type did not.";
    ComponentChanged = "component-changed", Patch,
        "A component that no Rust type comes from (responses, headers, security schemes, parameters, request bodies) changed.";
    FieldAddedOptional = "field-added-optional", Additive,
        "A new optional property: a new `Option` field (see the struct-literal policy).";
    FieldAddedRequired = "field-added-required", Breaking,
        "A new required property: every struct literal must now set it.";
    FieldRemoved = "field-removed", Breaking,
        "A property is gone: its field disappears.";
    FieldTypeChanged = "field-type-changed", Breaking,
        "A property's type changed; patch when the generated Rust type is the same.";
    ResponseFieldBecameOptional = "response-field-became-optional", Breaking,
        "A field of a type that is read became optional: readers must handle its absence (`T` -> `Option<T>`).";
    ResponseFieldBecameRequired = "response-field-became-required", Breaking,
        "A field of a type that is read became required: `Option<T>` -> `T`; patch when the overlay's `[lenient]` keeps it optional.";
    ResponseFieldBecameNullable = "response-field-became-nullable", Breaking,
        "A field of a type that is read became nullable: readers must handle `null`.";
    ResponseFieldBecameNotNullable = "response-field-became-not-nullable", Breaking,
        "A field of a type that is read is no longer nullable: its Rust type loses a layer of `Option`; patch when the overlay's `[nullable]` keeps it.";
    RequestFieldBecameOptional = "request-field-became-optional", Breaking,
        "A field of a request-only type became optional. Not breaking for the wire, but its Rust type changes (`T` -> `Option<T>`); patch when it does not.";
    RequestFieldBecameRequired = "request-field-became-required", Breaking,
        "A field of a request-only type became required: requests without it are refused.";
    RequestFieldBecameNullable = "request-field-became-nullable", Breaking,
        "A field of a request-only type became nullable. Not breaking for the wire, but its Rust type changes; patch when it does not.";
    RequestFieldBecameNotNullable = "request-field-became-not-nullable", Breaking,
        "A field of a request-only type is no longer nullable: requests sending `null` are refused.";
    EnumValueAdded = "enum-value-added", Additive,
        "A new enum value: a new variant; enums are `#[non_exhaustive]` with `Unknown(raw)`. Patch when the overlay's `[enum_additions]` already had it.";
    EnumValueRemoved = "enum-value-removed", Breaking,
        "An enum value is gone: its variant disappears.";
    EnumValueRenamed = "enum-value-renamed", Breaking,
        "An enum value kept its value but changed its name (`title`): the variant is renamed.";
    EnumRepeatedValueReordered = "enum-repeated-value-reordered", Breaking,
        "An enum repeats a value under several titles and another of them now comes first: the value decodes to another variant.";
    RequestLimitTightened = "request-limit-tightened", Breaking,
        "A limit (min/max, length, item count, pattern) on a type used in a request was added, tightened or changed: calls that passed may now be refused.";
    RequestLimitLoosened = "request-limit-loosened", Additive,
        "A limit on a type used in a request was loosened or removed: more calls are accepted.";
    ResponseLimitChanged = "response-limit-changed", Additive,
        "A limit on a response-only type changed: no Rust type changes, the validator's verdicts do.";
    RustFieldTypeChanged = "rust-field-type-changed", Breaking,
        "A field's Rust type changed though no spec line names the field: a type it refers to changed kind (an enum without values got some: `String` -> `NameplatePalette`), or the overlay changed (`[lenient]`, `[nullable]`, `[types]`, `[flags]`).";
    RustEnumVariantAdded = "rust-enum-variant-added", Additive,
        "A new enum variant no spec line names: the overlay's `[enum_additions]` added it.";
    RustEnumVariantRemoved = "rust-enum-variant-removed", Breaking,
        "An enum variant is gone though no spec line names it: an `[enum_additions]` entry was removed.";
    RustUnionVariantAdded = "rust-union-variant-added", Additive,
        "The overlay's `[unions.*]` gained a variant: unions are `#[non_exhaustive]` with an `Unknown` variant.";
    RustUnionVariantRemoved = "rust-union-variant-removed", Breaking,
        "The overlay's `[unions.*]` lost a variant.";
    RustTypeAdded = "rust-type-added", Additive,
        "A new Rust type no spec line names: an `[add.schemas]` addition, a `[names]` rename's new name, new `[flags]`.";
    RustTypeRemoved = "rust-type-removed", Breaking,
        "A Rust type is gone though no spec line names it: an `[add.schemas]` removal, a `[names]` rename's old name.";
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for r in Rule::ALL {
            assert!(seen.insert(r.id()), "{r:?}");
            assert_eq!(Rule::from_id(r.id()), Some(*r));
            let json = serde_json::to_string(r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.id()));
        }
        assert_eq!(Rule::from_id("no-such-rule"), None);
    }
}

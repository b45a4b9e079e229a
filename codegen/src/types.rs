//! IR types → Rust tokens: structs with hand-rolled serde impls (one pass, unknown fields kept
//! without `#[serde(flatten)]` buffering), open enums, bit flags and tagged unions. A model's
//! decoder is its `Decode` impl (the SDK's readers call it); its `Deserialize` is the SDK's door
//! to that decoder (see the SDK's `decode.rs`), so a dependent compiles no decoder.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Enum, Field, Flags, IntWidth, Item, Model, Presence, Struct, Ty, Union};

/// Tokens for every model item.
pub fn models(model: &Model) -> TokenStream {
    let held = held_types(model);
    let items = model.items.iter().map(|item| match item {
        Item::Struct(s) => structure(s, !held.contains(s.name.as_str())),
        Item::Enum(e) => enumeration(e),
        Item::Flags(f) => flags(f),
        Item::Union(u) => union(u, !held.contains(u.name.as_str())),
    });
    let events = crate::events::gateway_events(model);
    quote! { #(#items)* #events }
}

/// The types another model holds (in a field, or as a union's variant). The others are the
/// roots, the types people decode: their `Payload` methods are compiled in the SDK, and a held
/// type's where they are called (see `payload_methods!` in the crate's `convert.rs`).
fn held_types(model: &Model) -> std::collections::BTreeSet<&str> {
    fn walk<'a>(t: &'a Ty, out: &mut std::collections::BTreeSet<&'a str>) {
        match t {
            Ty::Named { name, .. } => {
                out.insert(name);
            }
            Ty::Vec(inner) | Ty::Map(inner) => walk(inner, out),
            _ => {}
        }
    }
    let mut out = std::collections::BTreeSet::new();
    for item in &model.items {
        match item {
            Item::Struct(s) => s.fields.iter().for_each(|f| walk(&f.ty, &mut out)),
            Item::Union(u) => {
                u.fields.iter().for_each(|f| walk(&f.ty, &mut out));
                out.extend(u.variants.iter().map(|v| v.ty.as_str()));
            }
            Item::Enum(_) | Item::Flags(_) => {}
        }
    }
    out
}

/// The `Payload` methods of a model: compiled in the SDK for a root, where called for a held
/// type (see [`held_types`]).
fn payload_methods(root: bool) -> TokenStream {
    if root {
        quote!(crate::convert::payload_methods!();)
    } else {
        quote!(crate::convert::payload_methods!(inline);)
    }
}

/// `#[doc = ...]` attributes, one per line.
pub fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote! { #[doc = #l] }
    });
    quote! { #(#lines)* }
}

fn ident(name: &str) -> proc_macro2::Ident {
    format_ident!("{}", name)
}

/// The Rust type of a value.
pub fn ty(t: &Ty) -> TokenStream {
    match t {
        Ty::Bool => quote!(bool),
        Ty::Int(w) => {
            let w = format_ident!("{}", w.rust());
            quote!(#w)
        }
        Ty::Float => quote!(serde_json::Number),
        Ty::String => quote!(crate::Text),
        Ty::Snowflake => quote!(crate::Snowflake),
        Ty::Timestamp => quote!(crate::Timestamp),
        Ty::ImageHash => quote!(crate::ImageHash),
        Ty::Json => quote!(serde_json::Value),
        Ty::Named { name, boxed, .. } => {
            let n = ident(name);
            if *boxed {
                quote!(Box<#n>)
            } else {
                quote!(#n)
            }
        }
        Ty::Vec(inner) => {
            let i = ty(inner);
            quote!(Vec<#i>)
        }
        Ty::Map(inner) => {
            let i = ty(inner);
            quote!(std::collections::BTreeMap<String, #i>)
        }
    }
}

/// The type that checks a value of `t` without keeping it (see the crate's `check` module):
/// the validator's verdict-only decode.
fn check_ty(t: &Ty) -> TokenStream {
    let t = ty(t);
    quote!(crate::__private::Check<#t>)
}

fn wrapped(t: &Ty, p: Presence) -> TokenStream {
    let t = ty(t);
    match p {
        Presence::Required => t,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#t>),
        Presence::Nullable => quote!(crate::Nullable<#t>),
    }
}

/// Whether a field's decode local is `Nullable<T>` (it may be `null`) or `Option<T>` (a
/// `null` is then a type error raised inside the value, so its path names the field).
fn nullable_local(p: Presence) -> bool {
    matches!(p, Presence::RequiredNullable | Presence::Nullable)
}

fn local_decl(local: &proc_macro2::Ident, t: TokenStream, nullable: bool) -> TokenStream {
    if nullable {
        quote! { let mut #local = crate::Nullable::<#t>::Absent; }
    } else {
        quote! { let mut #local = None::<#t>; }
    }
}

/// Which reader a decoder's arms read from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Via {
    /// A model's serde decoder (its `Decode::decode`): through `Decode`, from a `MapAccess`.
    Map,
    /// A verdict-only check: through `Deserialize`, from a `MapAccess`.
    Check,
    /// A model's direct decoder for the fast reader (its `Decode::direct`).
    Direct,
}

/// A member's value as `via` reads it: a model's decoders read through `Decode` (see the
/// crate's `decode` module), a verdict-only check through `Deserialize`.
fn read(via: Via) -> TokenStream {
    match via {
        Via::Map => quote!(crate::__private::next_value(&mut map)?),
        Via::Check => quote!(map.next_value()?),
        Via::Direct => quote!(r.value()?),
    }
}

/// The arm that reads a field's value.
fn local_arm(local: &proc_macro2::Ident, json: &str, nullable: bool, via: Via) -> TokenStream {
    let read = read(via);
    if nullable {
        quote! { #json => #local = #read, }
    } else {
        quote! { #json => #local = Some(#read), }
    }
}

/// Converts a decode local into the field's representation.
fn convert(
    local: &proc_macro2::Ident,
    json: &str,
    p: Presence,
    nullable_local: bool,
) -> TokenStream {
    match (p, nullable_local) {
        (Presence::Required, false) => quote!(crate::__private::present(#local, #json)?),
        (Presence::Optional, false) => quote!(#local),
        (Presence::Required, true) => quote!(crate::__private::required(#local, #json)?),
        (Presence::RequiredNullable, _) => {
            quote!(crate::__private::required_nullable(#local, #json)?)
        }
        (Presence::Optional, true) => quote!(crate::__private::optional(#local, #json)?),
        (Presence::Nullable, _) => quote!(#local),
    }
}

fn presence_note(p: Presence) -> &'static str {
    match p {
        Presence::Required => "Always present.",
        Presence::RequiredNullable => "Always present; `None` is `null`.",
        Presence::Optional => "`None` when the key is absent.",
        Presence::Nullable => "Absent, `null` or a value: the three are kept apart.",
    }
}

fn field_doc(f: &Field) -> TokenStream {
    let mut text = f.doc.clone();
    text.push_str("\n\n");
    if f.rust != f.json {
        text.push_str(&format!("Wire name `{}`. ", f.json));
    }
    text.push_str(presence_note(f.presence));
    doc(&text)
}

fn local(rust: &str) -> proc_macro2::Ident {
    format_ident!("v_{}", rust)
}

/// A decoder for `target` that reads a map: `locals`, then each key through `arms` (keys no arm
/// takes through the unknown-field arm), then `finish`, which returns the `Result`. The models'
/// decoders and their verdict-only checks share it. A model's (`direct` given: its arms for
/// the fast reader) is its `Decode`, serde's and the direct one, and its `Deserialize` is the
/// door to it (see the crate's `decode` module); a check's is its `Deserialize`.
fn map_deserialize(
    target: TokenStream,
    expecting: &str,
    locals: TokenStream,
    arms: TokenStream,
    direct: Option<TokenStream>,
    finish: TokenStream,
) -> TokenStream {
    let via = if direct.is_some() {
        Via::Map
    } else {
        Via::Check
    };
    let unknown = unknown_arm(via);
    let visitor = quote! {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = #target;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(#expecting)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#target, A::Error> {
                #locals
                while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
                    match key.as_str() {
                        #arms
                        _ => { #unknown }
                    }
                }
                #finish
            }
        }
        deserializer.deserialize_map(Visitor)
    };
    let Some(direct) = direct else {
        return quote! {
            impl<'de> serde::Deserialize<'de> for #target {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    #visitor
                }
            }
        };
    };
    let unknown = unknown_arm(Via::Direct);
    quote! {
        impl<'de> serde::Deserialize<'de> for #target {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::__private::door(deserializer)
            }
        }
        impl<'de> crate::__private::Decode<'de> for #target {
            fn decode<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #visitor
            }
            fn direct(r: &mut crate::__private::Direct<'de>) -> Result<Self, crate::__private::Bail> {
                #locals
                r.object()?;
                let mut first = true;
                let mut owned = String::new();
                while let Some(key) = r.key(&mut first, &mut owned)? {
                    match key {
                        #direct
                        _ => { #unknown }
                    }
                }
                #finish
            }
        }
    }
}

/// The unknown-field arm: a model's decoders append the value's raw text to the object's
/// block of unknown fields, in arrival order; a verdict-only check reads the value as the
/// decoder reads it.
fn unknown_arm(via: Via) -> TokenStream {
    match via {
        Via::Map => quote! { map.next_value_seed(extra.next_field(key.as_str()))?; },
        Via::Check => quote! { map.next_value::<crate::__private::CheckRaw>()?; },
        Via::Direct => quote! { extra.direct_field(key, r)?; },
    }
}

fn structure(s: &Struct, root: bool) -> TokenStream {
    let payload = payload_methods(root);
    let name = ident(&s.name);
    let schema = &s.schema;
    let mut text = s.doc.clone();
    text.push_str(&format!("\n\nSchema: `{schema}`."));
    if let Some(ev) = &s.event {
        text.push_str(&format!(" The `d` of the gateway event `{ev}`."));
    }
    let docs = doc(&text);
    let deprecated = s
        .deprecated
        .then(|| quote!(#[doc = ""] #[doc = " Discord has deprecated this object."]));
    let default = s
        .fields
        .iter()
        .all(|f| f.presence != Presence::Required)
        .then(|| quote!(Default,));

    let defs = s.fields.iter().map(|f| {
        let fd = field_doc(f);
        let fname = ident(&f.rust);
        let fty = wrapped(&f.ty, f.presence);
        let json = &f.json;
        let rename = (f.rust != f.json)
            .then(|| quote!(#[cfg_attr(feature = "json-schema", schemars(rename = #json))]));
        // schemars reads every `Option` as "optional and nullable"; say what we decode.
        let inner = ty(&f.ty).to_string();
        let opt = match f.presence {
            Presence::Optional => {
                let with = format!("crate::__private::SchemaOptional<{inner}>");
                Some(quote!(#[cfg_attr(feature = "json-schema", schemars(with = #with))]))
            }
            Presence::RequiredNullable => {
                let with = format!("crate::__private::SchemaRequiredNullable<{inner}>");
                Some(quote!(#[cfg_attr(feature = "json-schema", schemars(with = #with))]))
            }
            Presence::Required | Presence::Nullable => None,
        };
        quote! { #fd #rename #opt pub #fname: #fty, }
    });

    let ser = s.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let json = &f.json;
        match f.presence {
            Presence::Required | Presence::RequiredNullable => {
                quote! { map.serialize_entry(#json, &self.#fname)?; }
            }
            Presence::Optional => quote! {
                if let Some(value) = &self.#fname { map.serialize_entry(#json, value)?; }
            },
            Presence::Nullable => quote! {
                if !self.#fname.is_absent() { map.serialize_entry(#json, &self.#fname)?; }
            },
        }
    });

    let locals = s
        .fields
        .iter()
        .map(|f| local_decl(&local(&f.rust), ty(&f.ty), nullable_local(f.presence)));
    let check_locals = s
        .fields
        .iter()
        .map(|f| local_decl(&local(&f.rust), check_ty(&f.ty), nullable_local(f.presence)));
    let arms = |via: Via| -> Vec<TokenStream> {
        s.fields
            .iter()
            .map(|f| local_arm(&local(&f.rust), &f.json, nullable_local(f.presence), via))
            .collect()
    };
    let check_arms = arms(Via::Check);
    let direct_arms = arms(Via::Direct);
    let arms = arms(Via::Map);
    let builds = s.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let c = convert(
            &local(&f.rust),
            &f.json,
            f.presence,
            nullable_local(f.presence),
        );
        quote! { #fname: #c, }
    });
    let check_builds = s.fields.iter().map(|f| {
        let c = convert(
            &local(&f.rust),
            &f.json,
            f.presence,
            nullable_local(f.presence),
        );
        quote! { let _ = #c; }
    });
    let expecting = format!("a `{schema}` object");
    let decode = map_deserialize(
        quote!(#name),
        &expecting,
        quote! {
            #(#locals)*
            let mut extra = crate::__private::Extra::new();
        },
        quote! { #(#arms)* },
        Some(quote! { #(#direct_arms)* }),
        quote! {
            Ok(#name {
                #(#builds)*
                extra: extra.finish(),
            })
        },
    );
    let check = map_deserialize(
        quote!(crate::__private::Check<#name>),
        &expecting,
        quote! { #(#check_locals)* },
        quote! { #(#check_arms)* },
        None,
        quote! {
            #(#check_builds)*
            Ok(crate::__private::Check::new())
        },
    );
    let event = s.event.as_ref().map(|ev| {
        quote! {
            impl #name {
                /// The gateway event name (`t`) whose `d` this type is.
                pub const EVENT: &'static str = #ev;
            }
        }
    });

    quote! {
        #docs
        #deprecated
        #[derive(Clone, Debug, PartialEq, #default)]
        #[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
        pub struct #name {
            #(#defs)*
            /// Fields this version of the crate does not know, kept as sent so that they
            /// re-encode unchanged.
            #[cfg_attr(feature = "json-schema", schemars(skip))]
            pub extra: crate::UnknownFields,
        }

        #event

        impl crate::Payload for #name {
            const SCHEMA_NAME: &'static str = #schema;
            #payload
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                #(#ser)*
                self.extra.serialize_entries(&mut map)?;
                map.end()
            }
        }

        #decode

        #[cfg(feature = "validate")]
        #check
    }
}

fn enumeration(e: &Enum) -> TokenStream {
    let name = ident(&e.name);
    let schema = &e.schema;
    let docs = doc(&format!(
        "{}\n\nSchema: `{schema}`. Values this version does not know decode to `Unknown` and re-encode unchanged.",
        e.doc
    ));
    let variants = e.values.iter().map(|v| {
        let vn = ident(&v.variant);
        let mut text = format!("{} (`{}`)", v.doc, v.value);
        if v.overlay {
            text.push_str("\n\nNot in Discord's published spec yet; seen in real payloads.");
        }
        let d = doc(&text);
        quote! { #d #vn, }
    });
    let vnames: Vec<_> = e.values.iter().map(|v| ident(&v.variant)).collect();
    let desc = format!(
        "{} Known values: {}.",
        e.doc,
        e.values
            .iter()
            .map(|v| format!("{} = {}", v.title, v.value))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if e.string {
        let lits: Vec<String> = e
            .values
            .iter()
            .map(|v| v.value.as_str().unwrap_or_default().to_owned())
            .collect();
        // Decoding matches by length first, then by bytes among the few values of that length
        // (a flat `match` on strings compares every arm in turn).
        let mut lens: Vec<usize> = lits.iter().map(String::len).collect();
        lens.sort_unstable();
        lens.dedup();
        let by_len = lens.iter().map(|&n| {
            let arms = lits
                .iter()
                .zip(&vnames)
                .filter(|(l, _)| l.len() == n)
                .map(|(l, vn)| quote! { #l => Some(Self::#vn), });
            let n = Literal::usize_unsuffixed(n);
            quote! { #n => match value { #(#arms)* _ => None }, }
        });
        quote! {
            #docs
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A value this version of the crate does not know, kept as sent.
                Unknown(crate::Text),
            }

            impl #name {
                /// The wire value.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#vnames => #lits,)*
                        Self::Unknown(value) => value.as_str(),
                    }
                }

                /// The variant for a wire value; values this crate does not know become `Unknown`.
                pub fn from_value(value: &str) -> Self {
                    match Self::known(value) {
                        Some(known) => known,
                        None => Self::Unknown(crate::Text::new(value)),
                    }
                }

                /// The known variant for a wire value, `None` for a value this version does not know.
                #[inline]
                fn known(value: &str) -> Option<Self> {
                    match value.len() {
                        #(#by_len)*
                        _ => None,
                    }
                }

                /// `true` for a value this version of the crate does not know.
                pub fn is_unknown(&self) -> bool {
                    matches!(self, Self::Unknown(_))
                }
            }

            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self::from_value(value)
                }
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    // Known values allocate nothing; an unknown one is copied once (inline when
                    // short; a long one is moved when the deserializer already owns it).
                    struct Visitor;
                    impl serde::de::Visitor<'_> for Visitor {
                        type Value = #name;
                        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            f.write_str("a string")
                        }
                        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<#name, E> {
                            Ok(#name::from_value(v))
                        }
                        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<#name, E> {
                            Ok(match #name::known(&v) {
                                Some(known) => known,
                                None => #name::Unknown(v.into()),
                            })
                        }
                    }
                    deserializer.deserialize_str(Visitor)
                }
            }

            crate::__decode_by_deserialize!(#name);

            #[cfg(feature = "validate")]
            impl<'de> serde::Deserialize<'de> for crate::__private::Check<#name> {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    // Every string decodes (to a known value or `Unknown`): nothing to keep.
                    crate::__private::check_any_str(deserializer)
                }
            }

            #[cfg(feature = "json-schema")]
            impl schemars::JsonSchema for #name {
                fn schema_name() -> std::borrow::Cow<'static, str> {
                    #schema.into()
                }

                fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                    crate::__private::open_enum_schema("string", #desc)
                }
            }
        }
    } else {
        let int = format_ident!("{}", e.width.rust());
        let serialize = format_ident!("serialize_{}", e.width.rust());
        // An `i32` enum also widens to `i64`, losslessly (union tags compare as `i64`).
        let widen = (e.width == IntWidth::I32).then(|| {
            quote! {
                impl From<#name> for i64 {
                    fn from(value: #name) -> Self {
                        i64::from(value.value())
                    }
                }
            }
        });
        let lits: Vec<Literal> = e
            .values
            .iter()
            .map(|v| Literal::i64_unsuffixed(v.value.as_i64().unwrap_or_default()))
            .collect();
        quote! {
            #docs
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A value this version of the crate does not know, kept as sent.
                Unknown(#int),
            }

            impl #name {
                /// The wire value.
                pub const fn value(self) -> #int {
                    match self {
                        #(Self::#vnames => #lits,)*
                        Self::Unknown(value) => value,
                    }
                }

                /// The variant for a wire value; values this crate does not know become `Unknown`.
                pub const fn from_value(value: #int) -> Self {
                    match value {
                        #(#lits => Self::#vnames,)*
                        other => Self::Unknown(other),
                    }
                }

                /// `true` for a value this version of the crate does not know.
                pub const fn is_unknown(self) -> bool {
                    matches!(self, Self::Unknown(_))
                }
            }

            impl From<#int> for #name {
                fn from(value: #int) -> Self {
                    Self::from_value(value)
                }
            }

            impl From<#name> for #int {
                fn from(value: #name) -> Self {
                    value.value()
                }
            }

            #widen

            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.#serialize(self.value())
                }
            }

            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    <#int as serde::Deserialize>::deserialize(deserializer).map(Self::from_value)
                }
            }

            crate::__check_by_decode!(#name);
            crate::__decode_by_deserialize!(#name);

            #[cfg(feature = "json-schema")]
            impl schemars::JsonSchema for #name {
                fn schema_name() -> std::borrow::Cow<'static, str> {
                    #schema.into()
                }

                fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                    crate::__private::open_enum_schema("integer", #desc)
                }
            }
        }
    }
}

fn flags(f: &Flags) -> TokenStream {
    let name = ident(&f.name);
    let docs = doc(&format!(
        "{}\n\nBits this version of the crate does not name are kept and re-encoded. The \
         [`bitflags::Flags`] trait gives the full set of flag operations.",
        f.doc
    ));
    let consts = f.bits.iter().map(|(n, i, d)| {
        let bn = ident(n);
        let d = doc(d);
        let i = Literal::u32_unsuffixed(*i);
        quote! { #d pub const #bn: Self = Self(1 << #i); }
    });
    let table = f.bits.iter().map(|(n, _, _)| {
        let bn = ident(n);
        quote! { bitflags::Flag::new(#n, Self::#bn), }
    });
    let desc = format!("{} Bit flags; unknown bits are allowed.", f.doc);
    let fname = &f.name;
    quote! {
        #docs
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
        pub struct #name(u64);

        impl #name {
            #(#consts)*

            /// No flags set.
            pub const fn empty() -> Self {
                Self(0)
            }

            /// The raw bits, named or not.
            pub const fn bits(self) -> u64 {
                self.0
            }

            /// Flags from raw bits, keeping bits this version does not name.
            pub const fn from_bits_retain(bits: u64) -> Self {
                Self(bits)
            }

            /// `true` if every bit of `other` is set.
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }

            /// `true` if no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }
        }

        impl bitflags::Flags for #name {
            const FLAGS: &'static [bitflags::Flag<Self>] = &[#(#table)*];
            type Bits = u64;

            fn bits(&self) -> u64 {
                self.0
            }

            fn from_bits_retain(bits: u64) -> Self {
                Self(bits)
            }
        }

        impl std::ops::BitOr for #name {
            type Output = Self;

            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }

        impl std::ops::BitAnd for #name {
            type Output = Self;

            fn bitand(self, other: Self) -> Self {
                Self(self.0 & other.0)
            }
        }

        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::__private::debug_flags(self, #fname, f)
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u64(self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <u64 as serde::Deserialize>::deserialize(deserializer).map(Self)
            }
        }

        crate::__check_by_decode!(#name);
        crate::__decode_by_deserialize!(#name);

        #[cfg(feature = "json-schema")]
            impl schemars::JsonSchema for #name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                #fname.into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                crate::__private::flags_schema(#desc)
            }
        }
    }
}

/// An accessor's expression for field `fname` of a variant bound to `v`, by the field's
/// presence there, whether its type is `Copy` (returned by value) and whether it is boxed.
fn accessor_expr(p: Presence, copy: bool, boxed: bool, fname: &proc_macro2::Ident) -> TokenStream {
    match (p, copy, boxed) {
        (Presence::Required, true, _) => quote!(Some(v.#fname)),
        (Presence::Required, false, _) => quote!(Some(&v.#fname)),
        (Presence::RequiredNullable | Presence::Optional, true, _) => quote!(v.#fname),
        (Presence::RequiredNullable | Presence::Optional, false, false) => {
            quote!(v.#fname.as_ref())
        }
        (Presence::RequiredNullable | Presence::Optional, false, true) => {
            quote!(v.#fname.as_deref())
        }
        (Presence::Nullable, true, _) => quote!(v.#fname.as_option().copied()),
        (Presence::Nullable, false, false) => quote!(v.#fname.as_option()),
        (Presence::Nullable, false, true) => quote!(v.#fname.as_option().map(|b| &**b)),
    }
}

fn union(u: &Union, root: bool) -> TokenStream {
    let payload = payload_methods(root);
    let name = ident(&u.name);
    let unknown = format_ident!("Unknown{}", u.name);
    let tag_enum = ident(&u.tag_enum);
    let tag_json = &u.tag_json;
    let tag_rust = ident(&u.tag_rust);
    let docs = doc(&u.doc);
    let schema_name = &u.name;

    let variant_defs = u.variants.iter().map(|v| {
        let vn = ident(&v.variant);
        let vt = ident(&v.ty);
        let d = doc(&format!("`{tag_json}` {}: [`{}`].", v.tag_value, v.ty));
        quote! { #d #vn(#vt), }
    });
    let unknown_doc = doc(&format!(
        "A `{tag_json}` this version of the crate does not know; every field is kept."
    ));

    // Decode: one pass into Nullable locals for every field of every variant.
    let tag_local = format_ident!("v_tag");
    // A union field's local is nullable if any variant lets it be null.
    let union_nullable =
        |f: &crate::ir::UnionField| f.presence.iter().flatten().any(|p| nullable_local(*p));
    // Moving the fields a variant lacks into `extra` re-encodes them (serialization code), so
    // it lives in one non-generic function per variant, compiled once in this crate, rather than
    // in the generic visitor, which every dependent instantiates for its deserializer.
    let mut stash_fns = Vec::new();
    let mut stash_call = |fn_name: proc_macro2::Ident, fields: Vec<&crate::ir::UnionField>| {
        if fields.is_empty() {
            return quote! {};
        }
        let names: Vec<String> = fields.iter().map(|f| format!("`{}`", f.json)).collect();
        let fn_doc = doc(&format!(
            "Keeps {} in `extra` as JSON, for a variant that lacks them.",
            names.join(", ")
        ));
        let params = fields.iter().map(|f| {
            let l = local(&f.rust);
            let t = ty(&f.ty);
            if union_nullable(f) {
                quote! { #l: crate::Nullable<#t> }
            } else {
                quote! { #l: Option<#t> }
            }
        });
        let body = fields.iter().map(|f| {
            let l = local(&f.rust);
            let json = &f.json;
            quote! { crate::__private::stash::<_, serde_json::Error>(extra, #json, #l)?; }
        });
        let args = fields.iter().map(|f| local(&f.rust));
        // The parameters are the decoder's locals, typed as the fields (`Vec<Box<T>>` too).
        stash_fns.push(quote! {
            #fn_doc
            #[cold]
            #[inline(never)]
            #[allow(clippy::too_many_arguments, clippy::vec_box)] // the types mirror the fields'
            fn #fn_name(extra: &mut crate::__private::Extra, #(#params),*) -> Result<(), serde_json::Error> {
                #(#body)*
                Ok(())
            }
        });
        quote! {
            #name::#fn_name(&mut extra, #(#args),*).map_err(serde::de::Error::custom)?;
        }
    };
    let locals = u
        .fields
        .iter()
        .map(|f| local_decl(&local(&f.rust), ty(&f.ty), union_nullable(f)));
    let check_locals = u
        .fields
        .iter()
        .map(|f| local_decl(&local(&f.rust), check_ty(&f.ty), union_nullable(f)));
    // Once the tag has been read (Discord sends it first), a field the chosen variant lacks is
    // kept raw: it is not decoded with another variant's type, so it cannot fail there.
    // `check`: the arms of the verdict-only decode, which reads a foreign field's value as an
    // unknown field's and keeps nothing.
    let arms = |via: Via| {
        u.fields.iter().map(move |f| {
            let typed = local_arm(&local(&f.rust), &f.json, union_nullable(f), via);
            let having: Vec<Literal> = u
                .variants
                .iter()
                .zip(&f.presence)
                .filter(|(_, p)| p.is_some())
                .map(|(v, _)| Literal::i64_unsuffixed(v.tag_value))
                .collect();
            if having.len() == u.variants.len() {
                return typed;
            }
            let json = &f.json;
            let keep = unknown_arm(via);
            quote! {
                #json if crate::__private::foreign(&v_tag, &[#(#having),*]) => { #keep }
                #typed
            }
        })
    };
    let check_arms = arms(Via::Check);
    let direct_arms = arms(Via::Direct);
    let arms = arms(Via::Map);
    let required: Vec<&crate::ir::UnionField> = u
        .fields
        .iter()
        .filter(|f| u.required.contains(&f.json))
        .collect();

    // The tag values a variant's arm matches (the default variant's also takes no tag).
    let variant_pattern = |i: usize, tag_value: i64| {
        let tv = Literal::i64_unsuffixed(tag_value);
        if u.default == Some(i) {
            quote!(Some(#tv) | None)
        } else {
            quote!(Some(#tv))
        }
    };
    let variant_arms = u
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let vn = ident(&v.variant);
            let vt = ident(&v.ty);
            let pat = variant_pattern(i, v.tag_value);
            let tag_build = match v.tag_presence {
                Presence::Required => quote! {
                    #tag_rust: match tag {
                        Some(tag) => tag,
                        None => return Err(serde::de::Error::missing_field(#tag_json)),
                    },
                },
                _ => quote! { #tag_rust: tag, },
            };
            let stash = stash_call(
                format_ident!("stash_for_{}", crate::naming::field_name(&v.variant)),
                u.fields
                    .iter()
                    .filter(|f| f.presence[i].is_none())
                    .collect(),
            );
            let builds = u.fields.iter().filter_map(|f| {
                let p = f.presence[i]?;
                let fname = ident(&f.rust);
                let c = convert(&local(&f.rust), &f.json, p, union_nullable(f));
                Some(quote! { #fname: #c, })
            });
            quote! {
                #pat => {
                    #stash
                    Ok(#name::#vn(#vt {
                        #tag_build
                        #(#builds)*
                        extra: extra.finish(),
                    }))
                }
            }
        })
        .collect::<Vec<_>>();
    let check_variant_arms = u.variants.iter().enumerate().map(|(i, v)| {
        let pat = variant_pattern(i, v.tag_value);
        let tag_check = match v.tag_presence {
            Presence::Required => quote! {
                if tag.is_none() {
                    return Err(serde::de::Error::missing_field(#tag_json));
                }
            },
            _ => quote! {},
        };
        let stash = u
            .fields
            .iter()
            .filter(|f| f.presence[i].is_none())
            .map(|f| {
                let l = local(&f.rust);
                let json = &f.json;
                quote! { crate::__private::check_stash(#l, #json)?; }
            });
        let builds = u.fields.iter().filter_map(|f| {
            let p = f.presence[i]?;
            let c = convert(&local(&f.rust), &f.json, p, union_nullable(f));
            Some(quote! { let _ = #c; })
        });
        quote! {
            #pat => {
                #(#stash)*
                #tag_check
                #(#builds)*
                Ok(crate::__private::Check::new())
            }
        }
    });
    // The fields every known variant has ("common": `inviter`, `expires_at`, `channel`…) are
    // typed on the unknown variant too, so `Invite`'s accessors answer for a `type` this
    // version does not know; the others stay in its `extra`.
    let common: Vec<&crate::ir::UnionField> = u
        .fields
        .iter()
        .filter(|f| !u.required.contains(&f.json) && f.presence.iter().all(Option::is_some))
        .collect();
    let is_common = |f: &crate::ir::UnionField| common.iter().any(|c| c.json == f.json);
    let unknown_stash = stash_call(
        format_ident!("stash_for_unknown"),
        u.fields
            .iter()
            .filter(|f| !u.required.contains(&f.json) && !is_common(f))
            .collect(),
    );
    let unknown_builds = required.iter().map(|f| {
        let fname = ident(&f.rust);
        let c = convert(
            &local(&f.rust),
            &f.json,
            Presence::Required,
            union_nullable(f),
        );
        quote! { #fname: #c, }
    });
    let common_builds = common.iter().map(|f| {
        let fname = ident(&f.rust);
        let l = local(&f.rust);
        quote! { #fname: #l, }
    });
    // A common field's presence on the unknown variant: absent allowed, `null` kept apart
    // where any variant allows it (its decode local already has that type).
    let common_presence = |f: &crate::ir::UnionField| {
        if union_nullable(f) {
            Presence::Nullable
        } else {
            Presence::Optional
        }
    };
    let unknown_fields = required.iter().map(|f| {
        let fname = ident(&f.rust);
        let t = ty(&f.ty);
        let d = doc(&f.doc);
        let json = &f.json;
        let rename = (f.rust != f.json)
            .then(|| quote!(#[cfg_attr(feature = "json-schema", schemars(rename = #json))]));
        quote! { #d #rename pub #fname: #t, }
    });
    let unknown_common_fields = common.iter().map(|f| {
        let fname = ident(&f.rust);
        let p = common_presence(f);
        let t = wrapped(&f.ty, p);
        let d = doc(&format!("{}\n\n{}", f.doc, presence_note(p)));
        let json = &f.json;
        let rename = (f.rust != f.json)
            .then(|| quote!(#[cfg_attr(feature = "json-schema", schemars(rename = #json))]));
        let with = (p == Presence::Optional).then(|| {
            let with = format!("crate::__private::SchemaOptional<{}>", ty(&f.ty));
            quote!(#[cfg_attr(feature = "json-schema", schemars(with = #with))])
        });
        quote! { #d #rename #with pub #fname: #t, }
    });
    let unknown_ser = required.iter().map(|f| {
        let fname = ident(&f.rust);
        let json = &f.json;
        quote! { map.serialize_entry(#json, &self.#fname)?; }
    });
    let unknown_common_ser = common.iter().map(|f| {
        let fname = ident(&f.rust);
        let json = &f.json;
        match common_presence(f) {
            Presence::Nullable => quote! {
                if !self.#fname.is_absent() { map.serialize_entry(#json, &self.#fname)?; }
            },
            _ => quote! {
                if let Some(value) = &self.#fname { map.serialize_entry(#json, value)?; }
            },
        }
    });

    // Accessors that work without matching the variant.
    let vnames: Vec<_> = u.variants.iter().map(|v| ident(&v.variant)).collect();
    let tag_values: Vec<Literal> = u
        .variants
        .iter()
        .map(|v| Literal::i64_unsuffixed(v.tag_value))
        .collect();
    let accessors = u.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let t = ty(&f.ty);
        if required.iter().any(|r| r.json == f.json) {
            let d = doc(&f.doc);
            return quote! {
                #d
                pub fn #fname(&self) -> &str {
                    match self {
                        #(Self::#vnames(v) => &v.#fname,)*
                        Self::Unknown(v) => &v.#fname,
                    }
                }
            };
        }
        let copy = f.ty.is_copy();
        let boxed = matches!(f.ty, Ty::Named { boxed: true, .. });
        let inner = match &f.ty {
            Ty::Named { name, boxed: true, .. } => {
                let n = ident(name);
                quote!(#n)
            }
            _ => t.clone(),
        };
        let ret = if copy {
            quote!(Option<#t>)
        } else {
            quote!(Option<&#inner>)
        };
        let have: Vec<String> = u
            .variants
            .iter()
            .zip(&f.presence)
            .filter(|(_, p)| p.is_some())
            .map(|(v, _)| format!("`{}`", v.variant))
            .collect();
        let json = &f.json;
        // The unknown variant: its typed field for a common one; a copied value decoded from
        // its kept fields otherwise; a borrowed one cannot be (nothing typed to borrow).
        let (unknown_arm, unknown_note) = if is_common(f) {
            let e = accessor_expr(common_presence(f), copy, boxed, &fname);
            (
                Some(quote! { Self::Unknown(v) => #e, }),
                "and by an invite of an unknown `type`; `None` when absent or `null`",
            )
        } else if copy {
            (
                Some(quote! {
                    Self::Unknown(v) => v.extra.decode::<Option<#t>>(#json).and_then(Result::ok).flatten(),
                }),
                "and read from the kept fields of an invite of an unknown `type`; `None` when absent or `null`",
            )
        } else {
            (None, "; `None` when absent or `null`, and for other variants")
        };
        let d = doc(&format!(
            "{}\n\nCarried by the {} variant(s) {unknown_note}.",
            f.doc,
            have.join(", ")
        )
        .replace(" ;", ";"));
        let arms = u.variants.iter().zip(&f.presence).filter_map(|(v, p)| {
            let vn = ident(&v.variant);
            let expr = accessor_expr(*p.as_ref()?, copy, boxed, &fname);
            Some(quote! { Self::#vn(v) => #expr, })
        });
        // Variants without the field (and an unknown variant with nothing to borrow) answer
        // `None`.
        let rest = (unknown_arm.is_none() || f.presence.iter().any(Option::is_none))
            .then(|| quote! { _ => None, });
        quote! {
            #d
            pub fn #fname(&self) -> #ret {
                match self {
                    #(#arms)*
                    #unknown_arm
                    #rest
                }
            }
        }
    });
    let variant_views = u.variants.iter().map(|v| {
        let vn = ident(&v.variant);
        let vt = ident(&v.ty);
        let snake = crate::naming::field_name(&v.variant);
        let as_fn = format_ident!("as_{}", snake);
        let into_fn = format_ident!("into_{}", snake);
        let as_doc = doc(&format!("The [`{}`], if this is one.", v.ty));
        let into_doc = doc(&format!("The [`{}`] by value, if this is one.", v.ty));
        quote! {
            #as_doc
            pub fn #as_fn(&self) -> Option<&#vt> {
                match self {
                    Self::#vn(v) => Some(v),
                    _ => None,
                }
            }
            #into_doc
            pub fn #into_fn(self) -> Option<#vt> {
                match self {
                    Self::#vn(v) => Some(v),
                    _ => None,
                }
            }
        }
    });
    let unknown_views = {
        let as_doc = doc(&format!(
            "The [`{unknown}`]: a `{tag_json}` this version of the crate does not know."
        ));
        let into_doc = doc(&format!("The [`{unknown}`] by value, if this is one."));
        quote! {
            #as_doc
            pub fn as_unknown(&self) -> Option<&#unknown> {
                match self {
                    Self::Unknown(v) => Some(v),
                    _ => None,
                }
            }
            #into_doc
            pub fn into_unknown(self) -> Option<#unknown> {
                match self {
                    Self::Unknown(v) => Some(v),
                    _ => None,
                }
            }
        }
    };
    let froms = u.variants.iter().map(|v| {
        let vn = ident(&v.variant);
        let vt = ident(&v.ty);
        quote! {
            impl From<#vt> for #name {
                fn from(value: #vt) -> Self {
                    Self::#vn(value)
                }
            }
        }
    });
    let expecting = format!("a `{}` object", u.name);
    let decode = map_deserialize(
        quote!(#name),
        &expecting,
        quote! {
            let mut #tag_local = crate::Nullable::<#tag_enum>::Absent;
            #(#locals)*
            let mut extra = crate::__private::Extra::new();
        },
        quote! {
            #tag_json => #tag_local = map.next_value()?,
            #(#arms)*
        },
        Some(quote! {
            #tag_json => #tag_local = r.value()?,
            #(#direct_arms)*
        }),
        quote! {
            let tag = crate::__private::optional(#tag_local, #tag_json)?;
            match tag.map(#tag_enum::value) {
                #(#variant_arms)*
                _ => {
                    let Some(tag) = tag else {
                        return Err(serde::de::Error::missing_field(#tag_json));
                    };
                    #unknown_stash
                    Ok(#name::Unknown(#unknown {
                        #tag_rust: tag,
                        #(#unknown_builds)*
                        #(#common_builds)*
                        extra: extra.finish(),
                    }))
                }
            }
        },
    );
    // A tag this version does not know fails the check: the full decode decides.
    let check = map_deserialize(
        quote!(crate::__private::Check<#name>),
        &expecting,
        quote! {
            let mut #tag_local = crate::Nullable::<#tag_enum>::Absent;
            #(#check_locals)*
        },
        quote! {
            #tag_json => #tag_local = map.next_value()?,
            #(#check_arms)*
        },
        None,
        quote! {
            let tag = crate::__private::optional(#tag_local, #tag_json)?;
            match tag.map(#tag_enum::value) {
                #(#check_variant_arms)*
                _ => Err(crate::__private::check_unknown_variant()),
            }
        },
    );
    let tag_doc = doc(&format!("The `{tag_json}` value as sent."));
    let stash_impl = (!stash_fns.is_empty()).then(|| quote! { impl #name { #(#stash_fns)* } });

    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
        #[cfg_attr(feature = "json-schema", schemars(untagged))]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)] // boxing would cost an allocation per decode
        pub enum #name {
            #(#variant_defs)*
            #unknown_doc
            Unknown(#unknown),
        }

        #unknown_doc
        #[derive(Clone, Debug, PartialEq)]
        #[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
        pub struct #unknown {
            #tag_doc
            #[cfg_attr(feature = "json-schema", schemars(rename = #tag_json))]
            pub #tag_rust: #tag_enum,
            #(#unknown_fields)*
            #(#unknown_common_fields)*
            /// Every other field, as sent.
            #[cfg_attr(feature = "json-schema", schemars(skip))]
            pub extra: crate::UnknownFields,
        }

        impl serde::Serialize for #unknown {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry(#tag_json, &self.#tag_rust)?;
                #(#unknown_ser)*
                #(#unknown_common_ser)*
                self.extra.serialize_entries(&mut map)?;
                map.end()
            }
        }

        impl #name {
            /// The variant's `type`, also for variants this version does not know.
            pub fn #tag_rust(&self) -> #tag_enum {
                match self {
                    #(Self::#vnames(_) => #tag_enum::from_value(#tag_values),)*
                    Self::Unknown(v) => v.#tag_rust,
                }
            }

            #(#accessors)*

            #(#variant_views)*

            #unknown_views
        }

        #(#froms)*

        impl crate::Payload for #name {
            const SCHEMA_NAME: &'static str = #schema_name;
            #payload
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#vnames(v) => v.serialize(serializer),)*
                    Self::Unknown(v) => v.serialize(serializer),
                }
            }
        }

        #decode

        #stash_impl

        #[cfg(feature = "validate")]
        #check
    }
}

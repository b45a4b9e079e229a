//! Gateway events (structs with `x-gateway-event`) → one `GatewayEvent` enum: a variant per
//! event named after its `t` (`INVITE_CREATE` → `InviteCreate`), plus `Other` for every other
//! message. The envelope around it (`op`, `s`, unknown keys) is hand-written in the SDK
//! (`src/gateway.rs`); this file gives it the per-event parts: the name, decoding `d` for a
//! given `t`, encoding `d`, equality.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Item, Model};
use crate::types::doc;

/// The `GatewayEvent` enum, or nothing when the model has no gateway events.
pub fn gateway_events(model: &Model) -> TokenStream {
    let events: Vec<(&str, &str)> = model
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => s.event.as_deref().map(|ev| (ev, s.name.as_str())),
            _ => None,
        })
        .collect();
    if events.is_empty() {
        return quote! {};
    }
    let variants: Vec<_> = events
        .iter()
        .map(|(ev, _)| format_ident!("{}", crate::naming::upper_camel(ev)))
        .collect();
    let types: Vec<_> = events
        .iter()
        .map(|(_, ty)| format_ident!("{}", ty))
        .collect();
    let names: Vec<&str> = events.iter().map(|(ev, _)| *ev).collect();
    let defs = events.iter().zip(&variants).map(|((ev, ty), v)| {
        let d = doc(&format!("`{ev}`: [`{ty}`]."));
        let ty = format_ident!("{}", ty);
        quote! { #d #v(#ty), }
    });
    let list = names.join(", ");
    let enum_doc = doc(&format!(
        "A gateway event the SDK models ({list}), or any other message kept as sent: the `t` and \
         `d` of a gateway message. [`GatewayEnvelope`](crate::GatewayEnvelope) decodes the whole \
         message (`{{\"op\":0,\"t\":…,\"s\":…,\"d\":{{…}}}}`) into one."
    ));
    quote! {
        #enum_doc
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)] // boxing would cost an allocation per decode
        pub enum GatewayEvent {
            #(#defs)*
            /// Any other message: another event, or an opcode other than a dispatch.
            Other {
                /// `t` as sent: absent, `null` (opcodes other than 0) or the event's name.
                t: crate::Nullable<String>,
                /// `d` as sent (raw JSON text); `None` when the message has no `d`.
                raw: Option<Box<serde_json::value::RawValue>>,
            },
        }

        impl GatewayEvent {
            /// The event names (`t`) decoded into a typed variant.
            pub const KNOWN: &'static [&'static str] = &[#(#names),*];

            /// The event's name (`t`); `None` for a message without one.
            pub fn name(&self) -> Option<&str> {
                match self {
                    #(Self::#variants(_) => Some(#names),)*
                    Self::Other { t, .. } => t.as_option().map(String::as_str),
                }
            }

            /// Decodes `d` for the event `t`: a typed variant for a known name, `Other` (raw)
            /// for anything else.
            pub(crate) fn decode_d<'de, D: serde::Deserializer<'de>>(
                t: crate::Nullable<String>,
                d: D,
            ) -> Result<Self, D::Error> {
                match t.as_option().map(String::as_str) {
                    #(Some(#names) => crate::__private::Decode::decode(d).map(Self::#variants),)*
                    _ => crate::__private::raw_value(d).map(|raw| Self::Other { t, raw: Some(raw) }),
                }
            }

            /// Writes `d` (nothing for an `Other` without one).
            pub(crate) fn serialize_d<M: serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> Result<(), M::Error> {
                match self {
                    #(Self::#variants(v) => map.serialize_entry("d", v),)*
                    Self::Other { raw: Some(raw), .. } => {
                        map.serialize_entry("d", &crate::__private::RawJson(raw.get()))
                    }
                    Self::Other { raw: None, .. } => Ok(()),
                }
            }
        }

        impl PartialEq for GatewayEvent {
            /// Typed variants compare as values; `Other` compares `t` and `d` as JSON.
            fn eq(&self, other: &Self) -> bool {
                match (self, other) {
                    #((Self::#variants(a), Self::#variants(b)) => a == b,)*
                    (Self::Other { t: ta, raw: ra }, Self::Other { t: tb, raw: rb }) => {
                        ta == tb && crate::__private::raw_eq(ra.as_deref(), rb.as_deref())
                    }
                    _ => false,
                }
            }
        }

        #(
            impl From<#types> for GatewayEvent {
                fn from(value: #types) -> Self {
                    Self::#variants(value)
                }
            }
        )*
    }
}

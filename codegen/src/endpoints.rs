//! Operations of the spec → one `Client` method and one request builder per operation.
//!
//! The builders only describe the request (path, query, headers, body) and pick a decoder; the
//! HTTP work is the hand-written runtime in `src/client/`. What is read from the schema:
//! - the path template and its parameters (a `SnowflakeType` parameter takes a `Snowflake`,
//!   a string one a `String`; the string parameter `code` is an invite code and is checked
//!   with `args::invite_code`);
//! - query parameters (one setter each);
//! - `security`: an empty requirement (`{}`) makes the token optional;
//! - the request body: JSON `anyOf` of request models → a generated `<Op>Body` enum; a
//!   multipart binary property (`target_users_file`) → a `TargetUsers` argument (required) or
//!   setter (optional, switching the body to multipart with `payload_json`);
//! - the 2xx answers: JSON model, JSON list (`null` allowed), JSON or 204, CSV, or nothing.
//!   An `oneOf` of models maps to the overlay union (`[unions.*]`) with exactly those variants;
//! - overlay `[[headers]]`: one setter per header, length-checked and percent-encoded.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::overlay::{Header, Overlay};
use crate::Error;

/// Emits the `impl Client` methods, the request builders and the body enums for every
/// operation of `spec`, in path order then method order as the spec lists them.
///
/// `type_name` maps an upstream component name (`VanityURLResponse`) to the Rust type name
/// (`VanityUrl`); the generated code names it `crate::<name>`.
pub fn generate(
    spec: &Value,
    overlay: &Overlay,
    type_name: &dyn Fn(&str) -> String,
) -> Result<TokenStream, Error> {
    let headers = &overlay.headers;
    let unions: Vec<(String, BTreeSet<String>)> = overlay
        .unions
        .iter()
        .map(|(name, u)| (name.clone(), u.variants.iter().cloned().collect()))
        .collect();
    // A schema without operations (the generator's golden fixtures) has no endpoints.
    let empty = serde_json::Map::new();
    let paths = match spec.get("paths") {
        None => &empty,
        Some(p) => p
            .as_object()
            .ok_or_else(|| schema_err("openapi.json: `paths` is not an object"))?,
    };
    let mut known_ops = BTreeSet::new();
    let mut out = TokenStream::new();
    for (path, item) in paths {
        let item = item
            .as_object()
            .ok_or_else(|| schema_err(format!("path {path}: not an object")))?;
        let shared_params: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (method, op) in item {
            if !matches!(method.as_str(), "get" | "put" | "post" | "delete" | "patch") {
                continue;
            }
            let ctx = Ctx {
                spec,
                path,
                method,
                op,
                shared_params: &shared_params,
                headers,
                aliases: &overlay.aliases,
                unions: &unions,
                type_name,
            };
            let (id, tokens) = ctx.operation()?;
            known_ops.insert(id);
            out.extend(tokens);
        }
    }
    for h in headers {
        for op in &h.operations {
            if !known_ops.contains(op) {
                return Err(schema_err(format!(
                    "overlay: [[headers]] {} names operation `{op}`, which is not in openapi.json",
                    h.name
                )));
            }
        }
    }
    Ok(out)
}

fn schema_err(msg: impl Into<String>) -> Error {
    Error::Schema(msg.into())
}

struct Ctx<'a> {
    spec: &'a Value,
    path: &'a str,
    method: &'a str,
    op: &'a Value,
    shared_params: &'a [Value],
    headers: &'a [Header],
    aliases: &'a std::collections::BTreeMap<String, Vec<String>>,
    unions: &'a [(String, BTreeSet<String>)],
    type_name: &'a dyn Fn(&str) -> String,
}

/// How the answer is decoded (a runtime method on `Client`).
enum Decoder {
    Json(TokenStream),
    JsonOrEmpty(TokenStream),
    List(TokenStream),
    Csv,
    Empty,
}

enum ParamKind {
    Snowflake,
    Str,
    Bool,
    Int,
}

struct Param {
    name: String,
    kind: ParamKind,
}

/// The multipart file property of a body.
struct FilePart {
    name: String,
}

struct BodyShape {
    /// JSON models the body may be (`anyOf`), as (variant name, Rust path).
    json: Vec<(Ident, TokenStream)>,
    file: Option<FilePart>,
    /// The file is the whole body (multipart only) and therefore required.
    file_only: bool,
}

impl Ctx<'_> {
    fn err(&self, msg: impl std::fmt::Display) -> Error {
        schema_err(format!(
            "{} {}: {msg}",
            self.method.to_uppercase(),
            self.path
        ))
    }

    fn operation(&self) -> Result<(String, TokenStream), Error> {
        let id = self
            .op
            .get("operationId")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err("no operationId"))?
            .to_owned();
        if !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(self.err(format!("operationId `{id}` is not snake_case")));
        }
        let method_ident = format_ident!("{}", id);
        let builder = format_ident!("{}", upper_camel(&id));
        let verb = self.method.to_uppercase();
        let http_method = format_ident!("{}", verb);
        let route = self.path;
        let sends = format!(" Sends `{verb} {route}`.");
        let builder_doc = format!(" Request builder for [`Client::{id}`]: `{verb} {route}`.");
        let description = self
            .op
            .get("description")
            .and_then(Value::as_str)
            .map(|d| {
                let d = format!(" {}", d.trim());
                quote! { #[doc = ""] #[doc = #d] }
            })
            .unwrap_or_default();

        let (path_params, query_params) = self.params()?;
        let optional_auth = self
            .op
            .get("security")
            .and_then(Value::as_array)
            .is_some_and(|s| {
                s.iter()
                    .any(|r| r.as_object().is_some_and(|o| o.is_empty()))
            });
        let auth = if optional_auth {
            quote! { crate::client::request::Auth::Optional }
        } else {
            quote! { crate::client::request::Auth::Required }
        };
        let body = self.body(&builder)?;
        let decoder = self.decoder()?;
        let headers: Vec<&Header> = self
            .headers
            .iter()
            .filter(|h| h.operations.contains(&id))
            .collect();

        // Struct fields, constructor arguments and their initialisers.
        let mut fields = vec![quote! { client: &'a Client }];
        let mut args = Vec::new();
        let mut inits = vec![quote! { client: self }];
        let mut arg_docs = Vec::new();
        let mut spec_stmts = Vec::new();
        for p in &path_params {
            let name = format_ident!("{}", p.name);
            let pname = p.name.as_str();
            match p.kind {
                ParamKind::Snowflake => {
                    fields.push(quote! { #name: crate::Snowflake });
                    args.push(quote! { #name: impl Into<crate::Snowflake> });
                    inits.push(quote! { #name: #name.into() });
                    spec_stmts.push(quote! {
                        spec.path_param(#pname, &self.#name.to_string())?;
                    });
                }
                ParamKind::Str => {
                    fields.push(quote! { #name: String });
                    args.push(quote! { #name: impl Into<String> });
                    inits.push(quote! { #name: #name.into() });
                    if pname == "code" {
                        spec_stmts.push(quote! { args::invite_code(&self.#name)?; });
                    }
                    spec_stmts.push(quote! { spec.path_param(#pname, &self.#name)?; });
                }
                ParamKind::Bool | ParamKind::Int => {
                    return Err(self.err(format!(
                        "path parameter `{pname}` must be a string or snowflake"
                    )));
                }
            }
            arg_docs.push(match (&p.kind, pname) {
                (ParamKind::Str, "code") => format!(
                    " - `{pname}`: the invite code, 1..=64 characters of `A-Z a-z 0-9 -`; anything else is refused before sending."
                ),
                (ParamKind::Snowflake, _) => format!(" - `{pname}`: path parameter (an id)."),
                _ => format!(" - `{pname}`: path parameter (percent-encoded)."),
            });
        }
        if body.as_ref().is_some_and(|b| b.file_only) {
            if let Some(f) = body.as_ref().and_then(|b| b.file.as_ref()) {
                let name = format_ident!("{}", f.name);
                fields.push(quote! { #name: crate::client::TargetUsers });
                args.push(quote! { #name: impl Into<crate::client::TargetUsers> });
                inits.push(quote! { #name: #name.into() });
                arg_docs.push(format!(
                    " - `{}`: the multipart file (a CSV of user ids).",
                    f.name
                ));
            }
        }

        let mut setters = Vec::new();
        for q in &query_params {
            let name = format_ident!("{}", q.name);
            let qname = q.name.as_str();
            let doc = format!(" Sets the query parameter `{qname}`.");
            let (ty, arg_ty, conv) = match q.kind {
                ParamKind::Snowflake => (
                    quote! { crate::Snowflake },
                    quote! { impl Into<crate::Snowflake> },
                    quote! { value.into() },
                ),
                ParamKind::Str => (
                    quote! { String },
                    quote! { impl Into<String> },
                    quote! { value.into() },
                ),
                ParamKind::Bool => (quote! { bool }, quote! { bool }, quote! { value }),
                ParamKind::Int => (quote! { i64 }, quote! { i64 }, quote! { value }),
            };
            fields.push(quote! { #name: Option<#ty> });
            inits.push(quote! { #name: None });
            setters.push(quote! {
                #[doc = #doc]
                pub fn #name(mut self, value: #arg_ty) -> Self {
                    self.#name = Some(#conv);
                    self
                }
            });
            spec_stmts.push(quote! {
                spec.query(#qname, self.#name.as_ref().map(ToString::to_string));
            });
        }
        for h in &headers {
            let field = format_ident!("{}", header_field(&h.name));
            let hname = h.name.as_str();
            let lower = h.name.to_ascii_lowercase();
            let (min, max) = (
                proc_macro2::Literal::usize_unsuffixed(h.min_length.unwrap_or(0)),
                proc_macro2::Literal::usize_unsuffixed(h.max_length.unwrap_or(usize::MAX)),
            );
            let doc = format!(
                " Sets the `{hname}` header: {min}..={max} characters, percent-encoded when sent."
            );
            fields.push(quote! { #field: Option<String> });
            inits.push(quote! { #field: None });
            setters.push(quote! {
                #[doc = #doc]
                pub fn #field(mut self, value: impl Into<String>) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            });
            spec_stmts.push(quote! {
                if let Some(value) = &self.#field {
                    args::header_chars(#hname, value, #min..=#max)?;
                    spec.encoded_header(#lower, value)?;
                }
            });
        }

        let mut extra_items = TokenStream::new();
        if let Some(b) = &body {
            let file_stmt = |json: TokenStream| -> TokenStream {
                match (&b.file, b.file_only) {
                    (Some(f), true) => {
                        let name = format_ident!("{}", f.name);
                        let fname = f.name.as_str();
                        quote! {
                            self.#name.check_upload()?;
                            let file = crate::client::request::Part::csv_file(#fname, self.#name.as_bytes().to_vec());
                            spec.body(crate::client::request::Body::Multipart(Vec::from([file])));
                        }
                    }
                    (Some(f), false) => {
                        let name = format_ident!("{}", f.name);
                        let fname = f.name.as_str();
                        quote! {
                            let json = #json;
                            match &self.#name {
                                Some(file) => {
                                    file.check_upload()?;
                                    let parts = Vec::from([
                                        crate::client::request::Part::payload_json(json),
                                        crate::client::request::Part::csv_file(#fname, file.as_bytes().to_vec()),
                                    ]);
                                    spec.body(crate::client::request::Body::Multipart(parts));
                                }
                                None => spec.body(crate::client::request::Body::Json(json)),
                            }
                        }
                    }
                    (None, _) => quote! {
                        let json = #json;
                        spec.body(crate::client::request::Body::Json(json));
                    },
                }
            };
            if !b.json.is_empty() {
                let enum_name = format_ident!("{}Body", upper_camel(&id));
                let enum_doc = format!(
                    " The JSON body of [`Client::{id}`]: one of the request shapes `{verb} {route}` accepts."
                );
                let variants = b.json.iter().map(|(v, ty)| {
                    let doc = format!(" The `{v}` shape.");
                    quote! { #[doc = #doc] #v(#ty) }
                });
                let froms = b.json.iter().map(|(v, ty)| {
                    quote! {
                        impl From<#ty> for #enum_name {
                            fn from(body: #ty) -> Self { #enum_name::#v(body) }
                        }
                    }
                });
                let checks = b
                    .json
                    .iter()
                    .map(|(v, _)| quote! { #enum_name::#v(body) => args::Check::check(body) });
                extra_items.extend(quote! {
                    #[doc = #enum_doc]
                    #[derive(Debug, Clone, serde::Serialize)]
                    #[serde(untagged)]
                    #[non_exhaustive]
                    pub enum #enum_name { #(#variants,)* }
                    #(#froms)*
                    impl args::Check for #enum_name {
                        fn check(&self) -> Result<(), Error> {
                            match self { #(#checks,)* }
                        }
                    }
                });
                fields.push(quote! { body: Option<#enum_name> });
                inits.push(quote! { body: None });
                let doc = " Sets the JSON body (without one, `{}` is sent). Checked by `send()`.";
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn body(mut self, body: impl Into<#enum_name>) -> Self {
                        self.body = Some(body.into());
                        self
                    }
                });
                spec_stmts.push(file_stmt(quote! {
                    match &self.body {
                        Some(body) => {
                            args::Check::check(body)?;
                            crate::client::request::to_json(body)?
                        }
                        None => b"{}".to_vec(),
                    }
                }));
            } else {
                spec_stmts.push(file_stmt(quote! { Vec::new() }));
            }
            if let (Some(f), false) = (&b.file, b.file_only) {
                let name = format_ident!("{}", f.name);
                let doc = format!(
                    " Attaches `{}` (a CSV of user ids); the request is then sent as multipart with the JSON body in `payload_json`.",
                    f.name
                );
                fields.push(quote! { #name: Option<crate::client::TargetUsers> });
                inits.push(quote! { #name: None });
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #name(mut self, value: impl Into<crate::client::TargetUsers>) -> Self {
                        self.#name = Some(value.into());
                        self
                    }
                });
            }
        }

        let (model_ty, send_call) = match &decoder {
            Decoder::Json(t) => (t.clone(), quote! { send_json::<#t> }),
            Decoder::JsonOrEmpty(t) => (quote! { Option<#t> }, quote! { send_json_or_empty::<#t> }),
            Decoder::List(t) => (quote! { Vec<#t> }, quote! { send_list::<#t> }),
            Decoder::Csv => (quote! { Vec<crate::Snowflake> }, quote! { send_csv }),
            Decoder::Empty => (quote! { () }, quote! { send_empty }),
        };
        let returns = match &decoder {
            Decoder::Json(_) => "the decoded answer",
            Decoder::JsonOrEmpty(_) => {
                "the decoded answer, or `None` when Discord answers 204 No Content"
            }
            Decoder::List(_) => "the decoded list (`null` from Discord is an empty list)",
            Decoder::Csv => "the user ids of the CSV answer",
            Decoder::Empty => "nothing (Discord answers 204 No Content)",
        };
        let send_body = match &decoder {
            Decoder::Empty => quote! {
                self.send_with_meta().await?;
                Ok(())
            },
            _ => quote! { Ok(self.send_with_meta().await?.into_model()) },
        };
        let send_doc = format!(" Checks the arguments, sends the request and returns {returns}.");
        let arg_doc = if arg_docs.is_empty() {
            quote! {}
        } else {
            let lines = arg_docs.iter();
            quote! { #[doc = ""] #(#[doc = #lines])* }
        };

        let example = example(&Example {
            id: &id,
            path_params: &path_params,
            query_params: &query_params,
            headers: &headers,
            body: body.as_ref(),
            decoder: &decoder,
        });
        let aliases = self
            .aliases
            .get(&id)
            .into_iter()
            .flatten()
            .map(|a| quote! { #[doc(alias = #a)] });

        let tokens = quote! {
            impl Client {
                #[doc = #sends]
                #description
                #arg_doc
                #[doc = ""]
                #[doc = " Returns a request builder; nothing is sent until `send()`."]
                #example
                #(#aliases)*
                pub fn #method_ident(&self, #(#args),*) -> #builder<'_> {
                    #builder { #(#inits),* }
                }
            }

            #[doc = #builder_doc]
            #[derive(Debug)]
            #[must_use = "nothing is sent until `send()`"]
            pub struct #builder<'a> {
                #(#fields,)*
            }

            impl #builder<'_> {
                #(#setters)*

                #[doc = #send_doc]
                pub async fn send(self) -> Result<#model_ty, Error> {
                    #send_body
                }

                #[doc = " Like `send()`, also returning the HTTP status and rate-limit headers."]
                pub async fn send_with_meta(self) -> Result<Response<#model_ty>, Error> {
                    let spec = self.request()?;
                    self.client.#send_call(spec).await
                }

                fn request(&self) -> Result<crate::client::request::RequestSpec, Error> {
                    let mut spec = crate::client::request::RequestSpec::new(
                        reqwest::Method::#http_method,
                        #route,
                        #auth,
                    );
                    #(#spec_stmts)*
                    Ok(spec)
                }
            }

            impl<'a> std::future::IntoFuture for #builder<'a> {
                type Output = Result<#model_ty, Error>;
                type IntoFuture = std::pin::Pin<
                    Box<dyn std::future::Future<Output = Self::Output> + Send + 'a>,
                >;

                /// Awaiting the builder is `send()`.
                fn into_future(self) -> Self::IntoFuture {
                    Box::pin(self.send())
                }
            }

            #extra_items
        };
        Ok((id, tokens))
    }

    fn resolve<'v>(&'v self, mut v: &'v Value) -> Result<&'v Value, Error> {
        for _ in 0..16 {
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let ptr = r
                        .strip_prefix('#')
                        .ok_or_else(|| self.err(format!("external $ref {r}")))?;
                    v = self
                        .spec
                        .pointer(ptr)
                        .ok_or_else(|| self.err(format!("dangling $ref {r}")))?;
                }
                None => return Ok(v),
            }
        }
        Err(self.err("$ref chain too long"))
    }

    fn params(&self) -> Result<(Vec<Param>, Vec<Param>), Error> {
        let own = self
            .op
            .get("parameters")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut path = Vec::new();
        let mut query = Vec::new();
        for p in self.shared_params.iter().chain(own) {
            let p = self.resolve(p)?;
            let name = p
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| self.err("a parameter has no name"))?;
            if !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(self.err(format!("parameter `{name}` is not snake_case")));
            }
            let schema = p.get("schema").unwrap_or(&Value::Null);
            let kind = if schema
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| r.ends_with("/SnowflakeType"))
            {
                ParamKind::Snowflake
            } else {
                match self.resolve(schema)?.get("type").and_then(Value::as_str) {
                    Some("string") => ParamKind::Str,
                    Some("boolean") => ParamKind::Bool,
                    Some("integer") => ParamKind::Int,
                    other => {
                        return Err(
                            self.err(format!("parameter `{name}` has unsupported type {other:?}"))
                        )
                    }
                }
            };
            let param = Param {
                name: name.to_owned(),
                kind,
            };
            match p.get("in").and_then(Value::as_str) {
                Some("path") => path.push(param),
                Some("query") => query.push(param),
                other => {
                    return Err(
                        self.err(format!("parameter `{name}` in {other:?} is not supported"))
                    )
                }
            }
        }
        // Every `{name}` of the template must be a path parameter, and the other way round.
        let placeholders: BTreeSet<&str> = self
            .path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .collect();
        let declared: BTreeSet<&str> = path.iter().map(|p| p.name.as_str()).collect();
        if placeholders != declared {
            return Err(self.err(format!(
                "path placeholders {placeholders:?} do not match path parameters {declared:?}"
            )));
        }
        Ok((path, query))
    }

    /// The Rust type of a response or body schema: a component, or an overlay union.
    fn schema_type(&self, schema: &Value) -> Result<TokenStream, Error> {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let name = r
                .rsplit('/')
                .next()
                .ok_or_else(|| self.err(format!("bad $ref {r}")))?;
            return Ok(self.rust_path(&(self.type_name)(name)));
        }
        let alts = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)
            .ok_or_else(|| self.err(format!("unsupported schema {schema}")))?;
        let refs: BTreeSet<String> = alts
            .iter()
            .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
            .map(|a| {
                a.get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.rsplit('/').next())
                    .map(str::to_owned)
                    .ok_or_else(|| self.err("a oneOf alternative is not a $ref"))
            })
            .collect::<Result<_, _>>()?;
        match self.unions.iter().find(|(_, v)| *v == refs) {
            Some((name, _)) => Ok(self.rust_path(name)),
            None => Err(self.err(format!(
                "no overlay [unions.*] has exactly the variants {refs:?}"
            ))),
        }
    }

    fn rust_path(&self, name: &str) -> TokenStream {
        let ident = Ident::new(name, Span::call_site());
        quote! { crate::#ident }
    }

    fn decoder(&self) -> Result<Decoder, Error> {
        let responses = self
            .op
            .get("responses")
            .and_then(Value::as_object)
            .ok_or_else(|| self.err("no responses"))?;
        let ok = responses.get("200").map(|r| self.resolve(r)).transpose()?;
        let no_content = responses.contains_key("204");
        let Some(ok) = ok else {
            return if no_content {
                Ok(Decoder::Empty)
            } else {
                Err(self.err("neither a 200 nor a 204 answer"))
            };
        };
        let content = ok.get("content").and_then(Value::as_object);
        if let Some(schema) = content
            .and_then(|c| c.get("application/json"))
            .and_then(|j| j.get("schema"))
        {
            let is_array = match schema.get("type") {
                Some(Value::String(t)) => t == "array",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "array"),
                _ => false,
            };
            if is_array {
                let items = schema
                    .get("items")
                    .ok_or_else(|| self.err("array answer without items"))?;
                return Ok(Decoder::List(self.schema_type(items)?));
            }
            let ty = self.schema_type(schema)?;
            return Ok(if no_content {
                Decoder::JsonOrEmpty(ty)
            } else {
                Decoder::Json(ty)
            });
        }
        if content.is_some_and(|c| c.contains_key("text/csv")) {
            return Ok(Decoder::Csv);
        }
        if content.is_none_or(|c| c.is_empty()) {
            return Ok(Decoder::Empty);
        }
        Err(self.err("unsupported 200 content type"))
    }

    fn body(&self, _builder: &Ident) -> Result<Option<BodyShape>, Error> {
        let Some(body) = self.op.get("requestBody") else {
            return Ok(None);
        };
        let content = self
            .resolve(body)?
            .get("content")
            .and_then(Value::as_object)
            .ok_or_else(|| self.err("requestBody without content"))?;
        let mut json = Vec::new();
        if let Some(schema) = content
            .get("application/json")
            .and_then(|j| j.get("schema"))
        {
            json = self.body_variants(schema)?;
        }
        let mut file = None;
        let mut file_only = false;
        if let Some(schema) = content
            .get("multipart/form-data")
            .and_then(|j| j.get("schema"))
        {
            // The file property: a binary string, directly or in one `allOf` member.
            let members: Vec<&Value> = match schema.get("allOf").and_then(Value::as_array) {
                Some(all) => all.iter().collect(),
                None => vec![schema],
            };
            for m in members {
                let Some(props) = m.get("properties").and_then(Value::as_object) else {
                    continue;
                };
                for (name, p) in props {
                    if p.get("contentEncoding").and_then(Value::as_str) == Some("binary") {
                        file = Some(FilePart { name: name.clone() });
                    }
                }
            }
            if file.is_none() {
                return Err(self.err("multipart body without a binary property"));
            }
            file_only = json.is_empty();
        }
        if json.is_empty() && file.is_none() {
            return Err(self.err("request body is neither JSON nor multipart"));
        }
        Ok(Some(BodyShape {
            json,
            file,
            file_only,
        }))
    }

    /// The alternatives of a JSON body, each with a variant name: the words of the Rust type
    /// name minus the words all alternatives share at the start and end
    /// (`CreateGroupDmInviteRequest`, `CreateGuildInviteRequest` → `GroupDm`, `Guild`).
    fn body_variants(&self, schema: &Value) -> Result<Vec<(Ident, TokenStream)>, Error> {
        let alts: Vec<&Value> = match schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            Some(Value::Array(a)) => a.iter().collect(),
            _ => vec![schema],
        };
        let names: Vec<String> = alts
            .iter()
            .map(|a| {
                a.get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.rsplit('/').next())
                    .map(|n| (self.type_name)(n))
                    .ok_or_else(|| self.err("a request body alternative is not a $ref"))
            })
            .collect::<Result<_, _>>()?;
        let words: Vec<Vec<String>> = names.iter().map(|n| camel_words(n)).collect();
        let (mut pre, mut suf) = (0, 0);
        if words.len() > 1 {
            let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
            while pre < shortest && words.iter().all(|w| w[pre] == words[0][pre]) {
                pre += 1;
            }
            while suf < shortest - pre
                && words
                    .iter()
                    .all(|w| w[w.len() - 1 - suf] == words[0][words[0].len() - 1 - suf])
            {
                suf += 1;
            }
        }
        let mut out = Vec::new();
        for (name, w) in names.iter().zip(&words) {
            let variant = if words.len() > 1 {
                w[pre..w.len() - suf].concat()
            } else {
                name.clone()
            };
            if variant.is_empty() {
                return Err(self.err(format!("cannot name the body variant for {name}")));
            }
            out.push((format_ident!("{}", variant), self.rust_path(name)));
        }
        Ok(out)
    }
}

/// `X-Audit-Log-Reason` → `audit_log_reason`.
/// What an operation's rustdoc example is made of.
struct Example<'a> {
    id: &'a str,
    path_params: &'a [Param],
    query_params: &'a [Param],
    headers: &'a [&'a Header],
    body: Option<&'a BodyShape>,
    decoder: &'a Decoder,
}

/// A sample value for a parameter in an example.
fn sample(p: &Param) -> String {
    match (&p.kind, p.name.as_str()) {
        (ParamKind::Str, "code") => "\"discord-developers\"".into(),
        (ParamKind::Str, _) => "\"value\"".into(),
        (ParamKind::Snowflake, "guild_id") => "197038439483310086".into(),
        (ParamKind::Snowflake, "user_id") => "80351110224678912".into(),
        (ParamKind::Snowflake, _) => "165176875973476352".into(),
        (ParamKind::Bool, _) => "true".into(),
        (ParamKind::Int, _) => "1".into(),
    }
}

/// `crate::VanityUrl` → (`discord_invite::VanityUrl`, `vanity_url`).
fn example_type(t: &TokenStream) -> (String, String) {
    let path = t.to_string().replace(' ', "");
    let name = path.rsplit("::").next().unwrap_or(&path).to_owned();
    let snake = camel_words(&name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    (path.replacen("crate::", "discord_invite::", 1), snake)
}

/// The `# Example` section of a method: a `no_run` doctest calling it with every argument,
/// query parameter, header and body it takes, so each one compiles against the real API.
fn example(e: &Example<'_>) -> TokenStream {
    let id = e.id;
    let mut call = vec![format!("let answer = client.{id}(")];
    let mut args: Vec<String> = e.path_params.iter().map(sample).collect();
    let file_only = e.body.is_some_and(|b| b.file_only);
    if file_only {
        args.push("TargetUsers::from_ids([80351110224678912u64])".into());
    }
    call[0].push_str(&args.join(", "));
    call[0].push(')');
    for q in e.query_params {
        call.push(format!("    .{}({})", q.name, sample(q)));
    }
    for h in e.headers {
        call.push(format!("    .{}(\"weekly event\")", header_field(&h.name)));
    }
    if let Some(b) = e.body {
        let shape = b
            .json
            .iter()
            .find(|(v, _)| v.to_string().contains("Guild"))
            .or_else(|| b.json.first());
        if let Some((_, ty)) = shape {
            let (path, _) = example_type(ty);
            call.push(format!("    .body({path}::default())"));
        }
        if b.file.is_some() && !file_only {
            call.push(
                "    .target_users_file(TargetUsers::from_ids([80351110224678912u64]))".into(),
            );
        }
    }
    call.push("    .send()".into());
    call.push("    .await?;".into());
    let (binding, show) = match e.decoder {
        Decoder::Json(t) => {
            let (_, name) = example_type(t);
            (name.clone(), format!("println!(\"{{{name}:?}}\");"))
        }
        Decoder::JsonOrEmpty(t) => {
            let (_, name) = example_type(t);
            (
                name.clone(),
                format!("if let Some({name}) = {name} {{\n    println!(\"{{{name}:?}}\");\n}}"),
            )
        }
        Decoder::List(t) => {
            let (_, name) = example_type(t);
            (
                format!("{name}s"),
                format!("println!(\"{{}}\", {name}s.len());"),
            )
        }
        Decoder::Csv => ("user_ids".into(), "println!(\"{user_ids:?}\");".into()),
        Decoder::Empty => (String::new(), String::new()),
    };
    if binding.is_empty() {
        call[0] = call[0].replacen("let answer = ", "", 1);
    } else {
        call[0] = call[0].replacen("answer", &binding, 1);
    }
    let mut lines = vec![
        String::new(),
        "# Example".into(),
        String::new(),
        "```no_run".into(),
    ];
    if file_only || e.body.is_some_and(|b| b.file.is_some()) {
        lines.push("use discord_invite::client::TargetUsers;".into());
        lines.push(String::new());
    }
    lines.push("# async fn example(client: &discord_invite::Client) -> Result<(), discord_invite::client::Error> {".into());
    lines.extend(call);
    if !show.is_empty() {
        lines.extend(show.lines().map(str::to_owned));
    }
    lines.push("# Ok(())".into());
    lines.push("# }".into());
    lines.push("```".into());
    let lines = lines.into_iter().map(|l| {
        let l = if l.is_empty() { l } else { format!(" {l}") };
        quote! { #[doc = #l] }
    });
    quote! { #(#lines)* }
}

fn header_field(name: &str) -> String {
    let name = name
        .strip_prefix("X-")
        .or_else(|| name.strip_prefix("x-"))
        .unwrap_or(name);
    name.to_ascii_lowercase().replace('-', "_")
}

/// `invite_resolve` → `InviteResolve`.
fn upper_camel(snake: &str) -> String {
    snake
        .split('_')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `CreateGroupDmInviteRequest` → `[Create, Group, Dm, Invite, Request]`.
fn camel_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() || words.is_empty() {
            words.push(c.to_string());
        } else if let Some(last) = words.last_mut() {
            last.push(c);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            camel_words("CreateGroupDmInviteRequest"),
            ["Create", "Group", "Dm", "Invite", "Request"]
        );
        assert_eq!(upper_camel("invite_resolve"), "InviteResolve");
        assert_eq!(header_field("X-Audit-Log-Reason"), "audit_log_reason");
    }
}

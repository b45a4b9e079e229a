//! Schema names → Rust names. Every rule lives here so a reader can trace any Rust name back
//! to the schema.

/// Splits a camel-case or snake/screaming-case name into lower-case words, treating an upper
/// case run as one word (`GroupDMInvite` → group, dm, invite; `GUILD_TEXT` → guild, text).
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in name.split(['_', '-', '.', ' ']) {
        let chars: Vec<char> = part.chars().collect();
        let mut cur = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = if i > 0 { Some(chars[i - 1]) } else { None };
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) => {
                    (c.is_uppercase() && p.is_lowercase())
                        || (c.is_uppercase()
                            && p.is_uppercase()
                            && next.is_some_and(|n| n.is_lowercase()))
                        || (c.is_ascii_digit() != p.is_ascii_digit() && c.is_uppercase())
                }
            };
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.extend(c.to_lowercase());
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// `GroupDMInviteResponse` → `GroupDmInviteResponse`; `GUILD_TEXT` → `GuildText`.
pub fn upper_camel(name: &str) -> String {
    let mut s = String::new();
    for w in words(name) {
        let mut cs = w.chars();
        if let Some(f) = cs.next() {
            s.extend(f.to_uppercase());
            s.push_str(cs.as_str());
        }
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    s
}

/// The default Rust name of a component: its name minus a trailing `Response`, in Rust casing.
/// The overlay's `[names]` table overrides it.
pub fn type_name(component: &str) -> String {
    let base = component.strip_suffix("Response").unwrap_or(component);
    upper_camel(if base.is_empty() { component } else { base })
}

/// A JSON property name → a Rust field name: `type` becomes `kind`, a leading `_` is dropped,
/// other keywords get a trailing `_`.
pub fn field_name(json: &str) -> String {
    let snake = words(json).join("_");
    match snake.as_str() {
        "type" => "kind".to_owned(),
        "" => "field".to_owned(),
        s if is_keyword(s) => format!("{s}_"),
        s if s.starts_with(|c: char| c.is_ascii_digit()) => format!("f_{s}"),
        s => s.to_owned(),
    }
}

/// An enum value's title (`GROUP_DM`, `bubble_gum`) → a variant name (`GroupDm`, `BubbleGum`).
pub fn variant_name(title: &str) -> String {
    let n = upper_camel(title);
    if n == "Unknown" || n == "Self" {
        format!("{n}Value")
    } else {
        n
    }
}

fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "as" | "async"
            | "await"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
            | "abstract"
            | "become"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "gen"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("GroupDMInviteResponse"), "GroupDmInvite");
        assert_eq!(type_name("VanityURLResponse"), "VanityUrl");
        assert_eq!(type_name("VanityURLErrorResponse"), "VanityUrlError");
        assert_eq!(type_name("InviteGuildResponse"), "InviteGuild");
        assert_eq!(type_name("Int53Type"), "Int53Type");
        assert_eq!(type_name("OAuth2Scopes"), "OAuth2Scopes");
    }

    #[test]
    fn field_and_variant_names() {
        assert_eq!(field_name("type"), "kind");
        assert_eq!(field_name("_errors"), "errors");
        assert_eq!(field_name("max_age"), "max_age");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(variant_name("GROUP_DM"), "GroupDm");
        assert_eq!(variant_name("bubble_gum"), "BubbleGum");
        assert_eq!(
            variant_name("applications.commands"),
            "ApplicationsCommands"
        );
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
    }
}

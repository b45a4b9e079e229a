//! Every `Client` method has a rustdoc example (compiled as a `no_run` doctest), and the
//! methods named by `operationId` are found by the names people search for (`get_invite`,
//! `delete_invite`, `create_invite`…) through `#[doc(alias)]`. Checked on the sources:
//! `generated/endpoints.rs` (the committed copy of the generated methods) and `src/client/`.

use std::path::Path;

/// Each `pub fn` of an `impl Client` block in `text`: (name, its doc and attribute lines).
fn client_methods(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut inside = false;
    let mut pending: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with("impl Client {") {
            inside = true;
            pending.clear();
            continue;
        }
        if line == "}" {
            inside = false;
        }
        if !inside {
            continue;
        }
        let t = line.trim_start();
        if t.starts_with("///") || t.starts_with("#[") {
            pending.push(t.to_owned());
        } else if let Some(rest) = t
            .strip_prefix("pub fn ")
            .or_else(|| t.strip_prefix("pub async fn "))
        {
            let name = rest.split(['(', '<']).next().unwrap_or_default().to_owned();
            out.push((name, std::mem::take(&mut pending)));
        } else if !t.is_empty() {
            pending.clear();
        }
    }
    out
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("generated/endpoints.rs")];
    // Every `.rs` file under src/client/, sub-modules included.
    let mut dirs = vec![root.join("src/client")];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).expect("src/client").flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            (p.display().to_string(), text)
        })
        .collect()
}

#[test]
fn every_client_method_has_an_example() {
    let mut methods = Vec::new();
    for (file, text) in sources() {
        for (name, docs) in client_methods(&text) {
            let has_example = docs.iter().any(|d| d == "/// # Example")
                && docs.iter().any(|d| d.starts_with("/// ```"));
            assert!(has_example, "{file}: Client::{name} has no `# Example`");
            methods.push(name);
        }
    }
    // Every operation of the spec, plus the hand-written ones.
    methods.sort();
    for expected in [
        "builder",
        "new",
        "invite_resolve",
        "invite_revoke",
        "create_channel_invite",
        "list_channel_invites",
        "list_guild_invites",
        "get_guild_vanity_url",
        "get_invite_target_users",
        "update_invite_target_users",
        "get_invite_target_users_job_status",
        "create_linked_lobby_guild_invite_for_self",
        "create_linked_lobby_guild_invite_for_user",
        "wait_for_target_users_job",
    ] {
        assert!(
            methods.iter().any(|m| m == expected),
            "{expected} not found in {methods:?}"
        );
    }
}

#[test]
fn methods_are_found_by_the_names_people_search() {
    let (_, text) = &sources()[0];
    let methods = client_methods(text);
    let aliases = |name: &str| -> Vec<String> {
        methods
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, docs)| {
                docs.iter()
                    .filter_map(|d| d.strip_prefix("#[doc(alias = \""))
                    .filter_map(|d| d.strip_suffix("\")]"))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    for (method, alias) in [
        ("invite_resolve", "get_invite"),
        ("invite_revoke", "delete_invite"),
        ("create_channel_invite", "create_invite"),
        ("list_guild_invites", "get_guild_invites"),
        (
            "get_invite_target_users_job_status",
            "get_target_users_job_status",
        ),
    ] {
        assert!(
            aliases(method).iter().any(|a| a == alias),
            "{method}: no alias `{alias}` in {:?}",
            aliases(method)
        );
    }
}

#[test]
fn the_crate_root_lists_the_main_types() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("src/lib.rs");
    // The crate docs: `//!` lines and `doc = "…"` attributes before the first item.
    let docs: String = lib
        .lines()
        .take_while(|l| !l.starts_with("mod ") && !l.starts_with("#[cfg"))
        .filter(|l| l.starts_with("//!") || l.trim_start().starts_with("doc = "))
        .collect::<Vec<_>>()
        .join("\n");
    for ty in [
        "Invite",
        "Client",
        "InviteUrl",
        "Snowflake",
        "Timestamp",
        "Nullable",
        "GatewayEnvelope",
    ] {
        assert!(
            docs.contains(&format!("| [`{ty}`]")),
            "the crate docs do not list `{ty}` in their table of main types"
        );
    }
}
